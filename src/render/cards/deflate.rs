//! A zlib stream written byte for byte as fdeflate 0.3's `Compressor` writes it (the
//! compressor behind the `png` crate's `Compression::Fastest`), for data most of whose
//! 8-byte chunks the caller knows to be zeros: those are counted without being read, and
//! their Adler-32 is computed in one step.
//!
//! fdeflate writes one Huffman block with a fixed table tuned for filtered PNG rows: each
//! byte a literal, and each run of zeros a literal zero followed by back-references at
//! distance 1. It reads its input in 8-byte chunks, so the same chunking is kept here; a
//! chunk that is not read is a zero chunk, which is all fdeflate does with one (the run
//! grows by 8). Adapted from fdeflate 0.3.7 (`src/compress.rs`, `src/tables.rs`; MIT or
//! Apache-2.0, by the image-rs developers); `tests` compares the two on the same input.

use std::ops::Range;

/// The Adler-32 modulus.
const MOD: u32 = 65521;

/// fdeflate's fixed code lengths: literals 0–255, end of block, lengths 257–285.
const LENGTHS: [u8; 286] = [
    2, 3, 4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 10, 11, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9, 9, 9, 8, 9, 8, 8, 8, 8, 8, 7,
    7, 7, 6, 6, 6, 5, 4, 3, 12, 12, 12, 9, 9, 11, 10, 11, 11, 10, 11, 11, 11, 11, 11, 11, 12, 11,
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 9,
];

/// Each symbol's code, bits reversed as deflate writes them (canonical codes of
/// [`LENGTHS`]).
const CODES: [u16; 286] = {
    let mut codes = [0u16; 286];
    let mut code = 0u32;
    let mut len = 1;
    while len <= 16 {
        let mut i = 0;
        while i < 286 {
            if LENGTHS[i] == len {
                codes[i] = (code as u16).reverse_bits() >> (16 - len);
                code += 1;
            }
            i += 1;
        }
        code <<= 1;
        len += 1;
    }
    codes
};

/// The zlib header and the block header declaring [`LENGTHS`] and one distance code (1),
/// as fdeflate writes them: 53 bytes, then 5 bits of the last one.
const HEADER: [u8; 54] = [
    120, 1, 237, 192, 3, 160, 36, 89, 150, 198, 241, 255, 119, 238, 141, 200, 204, 167, 114, 75,
    99, 174, 109, 219, 182, 109, 219, 182, 109, 219, 182, 109, 105, 140, 158, 150, 74, 175, 158,
    50, 51, 34, 238, 249, 118, 183, 106, 122, 166, 135, 59, 107, 213, 15,
];

/// The length symbol and its number of extra bits for a back-reference of `len` bytes
/// (3 to 257), from the deflate specification.
fn length_symbol(len: u32) -> (usize, u8) {
    let v = len - 3;
    if v < 8 {
        return (257 + v as usize, 0);
    }
    let extra = 31 - v.leading_zeros() - 2;
    (
        265 + 4 * (extra as usize - 1) + ((v >> extra) - 4) as usize,
        extra as u8,
    )
}

/// A zlib stream being written, as fdeflate's `Compressor` writes it (see the module).
pub struct Deflate {
    out: Vec<u8>,
    buffer: u64,
    nbits: u8,
    /// The Adler-32 of the data so far (`b << 16 | a`).
    adler: u32,
}

impl Deflate {
    /// Starts a stream into `out` (cleared first; its capacity is reused).
    pub fn new(mut out: Vec<u8>) -> Self {
        out.clear();
        out.extend_from_slice(&HEADER[..53]);
        let mut z = Deflate {
            out,
            buffer: 0,
            nbits: 0,
            adler: 1,
        };
        z.write_bits(u64::from(HEADER[53]), 5);
        z
    }

    fn write_bits(&mut self, bits: u64, nbits: u8) {
        self.buffer |= bits << self.nbits;
        self.nbits += nbits;
        if self.nbits >= 64 {
            self.out.extend_from_slice(&self.buffer.to_le_bytes());
            self.nbits -= 64;
            self.buffer = bits.checked_shr(u32::from(nbits - self.nbits)).unwrap_or(0);
        }
    }

    fn literal(&mut self, b: u8) {
        self.write_bits(u64::from(CODES[b as usize]), LENGTHS[b as usize]);
    }

    /// A run of `run` zeros: a literal zero, then back-references at distance 1.
    fn write_run(&mut self, mut run: u32) {
        self.write_bits(u64::from(CODES[0]), LENGTHS[0]);
        run -= 1;
        while run >= 258 {
            // Length 258 and the one distance code (a single 0 bit).
            self.write_bits(u64::from(CODES[285]), LENGTHS[285] + 1);
            run -= 258;
        }
        if run > 4 {
            let (sym, extra) = length_symbol(run);
            self.write_bits(u64::from(CODES[sym]), LENGTHS[sym]);
            let bits = u64::from(run - 3) & ((1 << extra) - 1);
            self.write_bits(bits, extra + 1);
        } else {
            // CODES[0] is all zero bits.
            self.write_bits(0, run as u8 * LENGTHS[0]);
        }
    }

    /// Adds `n` zeros to the Adler-32 without reading them: `a` stays, `b` grows by `n·a`.
    fn adler_zeros(&mut self, n: usize) {
        let (a, b) = (self.adler & 0xffff, self.adler >> 16);
        let b = (u64::from(b) + (n as u64 % u64::from(MOD)) * u64::from(a)) % u64::from(MOD);
        self.adler = (b as u32) << 16 | a;
    }

    fn adler_bytes(&mut self, data: &[u8]) {
        let mut h = simd_adler32::Adler32::from_checksum(self.adler);
        h.write(data);
        self.adler = h.finish();
    }

    /// Writes `data` as fdeflate's `write_data` writes it (a run of zeros never continues
    /// into the next call), reading only the 8-byte chunks of `data` that `live` names
    /// (ranges of chunk indices, ascending, not overlapping), and the bytes after the
    /// last whole chunk. Every other chunk must hold zeros: it is counted, not read.
    pub fn write_sparse(&mut self, data: &[u8], live: &[Range<usize>]) {
        let whole = data.len() / 8;
        let mut run = 0u32;
        let mut next = 0;
        for r in live {
            let (start, end) = (r.start.min(whole), r.end.min(whole));
            if start >= end {
                continue;
            }
            debug_assert!(start >= next, "live chunks out of order");
            let gap = start - next;
            self.adler_zeros(gap * 8);
            run += 8 * gap as u32;
            let bytes = &data[start * 8..end * 8];
            self.adler_bytes(bytes);
            for chunk in bytes.chunks_exact(8) {
                self.chunk(chunk, &mut run);
            }
            next = end;
        }
        let gap = whole - next;
        self.adler_zeros(gap * 8);
        run += 8 * gap as u32;
        if run > 0 {
            self.write_run(run);
        }
        let rest = &data[whole * 8..];
        self.adler_bytes(rest);
        for &b in rest {
            self.literal(b);
        }
    }

    /// One 8-byte chunk, as fdeflate's `write_data` handles it; `run` is the run of zeros
    /// before it, not yet written.
    fn chunk(&mut self, chunk: &[u8], run: &mut u32) {
        let ichunk = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if ichunk == 0 {
            *run += 8;
            return;
        } else if *run > 0 {
            let run_extra = ichunk.trailing_zeros() / 8;
            self.write_run(*run + run_extra);
            *run = 0;
            if run_extra > 0 {
                *run = ichunk.leading_zeros() / 8;
                for &b in &chunk[run_extra as usize..8 - *run as usize] {
                    self.literal(b);
                }
                return;
            }
        }
        let run_start = ichunk.leading_zeros() / 8;
        if run_start > 0 {
            for &b in &chunk[..8 - run_start as usize] {
                self.literal(b);
            }
            *run = run_start;
            return;
        }
        let n = |i: usize| LENGTHS[chunk[i] as usize];
        let c = |i: usize| u64::from(CODES[chunk[i] as usize]);
        let (n0, n1, n2, n3) = (n(0), n(1), n(2), n(3));
        let bits = c(0) | c(1) << n0 | c(2) << (n0 + n1) | c(3) << (n0 + n1 + n2);
        self.write_bits(bits, n0 + n1 + n2 + n3);
        let (n4, n5, n6, n7) = (n(4), n(5), n(6), n(7));
        let bits = c(4) | c(5) << n4 | c(6) << (n4 + n5) | c(7) << (n4 + n5 + n6);
        self.write_bits(bits, n4 + n5 + n6 + n7);
    }

    /// Ends the block and the stream (Adler-32 last) and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.write_bits(u64::from(CODES[256]), LENGTHS[256]);
        if !self.nbits.is_multiple_of(8) {
            self.write_bits(0, 8 - self.nbits % 8);
        }
        if self.nbits > 0 {
            let n = self.nbits as usize / 8;
            self.out.extend_from_slice(&self.buffer.to_le_bytes()[..n]);
        }
        self.out.extend_from_slice(&self.adler.to_be_bytes());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no crate.
    fn noise(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// Rows like a filtered card's: mostly zeros, some bytes set in a few spans, lengths
    /// that are and are not multiples of 8; each with the chunks that hold a byte set
    /// (and a few zero chunks besides, which must make no difference).
    fn rows(seed: &mut u64) -> Vec<(Vec<u8>, Vec<Range<usize>>)> {
        let mut out = Vec::new();
        for len in [0, 1, 7, 8, 9, 64, 300, 3601, 3600] {
            for _ in 0..6 {
                let mut row = vec![0u8; len];
                let spans = noise(seed) % 4;
                for _ in 0..spans {
                    if len == 0 {
                        break;
                    }
                    let s = (noise(seed) % len as u64) as usize;
                    let e = (s + (noise(seed) % 40) as usize).min(len);
                    for b in &mut row[s..e] {
                        // Zeros inside spans too, as in real rows.
                        *b = if noise(seed).is_multiple_of(3) {
                            0
                        } else {
                            noise(seed) as u8
                        };
                    }
                }
                let whole = len / 8;
                let mut live: Vec<Range<usize>> = Vec::new();
                for c in 0..whole {
                    let set = row[c * 8..c * 8 + 8].iter().any(|&b| b != 0);
                    if set || noise(seed).is_multiple_of(5) {
                        match live.last_mut() {
                            Some(r) if r.end == c => r.end = c + 1,
                            _ => live.push(c..c + 1),
                        }
                    }
                }
                out.push((row, live));
            }
        }
        out
    }

    #[test]
    fn the_stream_is_fdeflates_byte_for_byte_and_unread_chunks_are_zeros() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20 {
            let rows = rows(&mut seed);
            let mut theirs = fdeflate::Compressor::new(Vec::new()).unwrap();
            let mut ours = Deflate::new(vec![1, 2, 3]);
            let mut all = Vec::new();
            for (row, live) in &rows {
                theirs.write_data(row).unwrap();
                ours.write_sparse(row, live);
                all.extend_from_slice(row);
            }
            let (theirs, ours) = (theirs.finish().unwrap(), ours.finish());
            assert_eq!(ours, theirs);
            assert_eq!(fdeflate::decompress_to_vec(&ours).unwrap(), all);
        }
    }

    #[test]
    fn a_row_of_zeros_is_written_without_reading_it() {
        // Every chunk left out: the row's bytes are never looked at, so garbage in them
        // does not show; the stream is that of the zeros.
        let garbage = vec![0xAB; 3601];
        let mut ours = Deflate::new(Vec::new());
        let mut zeros = vec![0u8; 3601];
        zeros[3600] = 0xAB; // the byte after the last whole chunk is always read
        ours.write_sparse(&garbage, &[]);
        let mut theirs = fdeflate::Compressor::new(Vec::new()).unwrap();
        theirs.write_data(&zeros).unwrap();
        assert_eq!(ours.finish(), theirs.finish().unwrap());
    }

    #[test]
    fn the_length_symbols_are_the_specifications() {
        // RFC 1951, 3.2.5: each length code's first length and extra bits.
        let table = [
            (257, 3, 0),
            (264, 10, 0),
            (265, 11, 1),
            (268, 17, 1),
            (269, 19, 2),
            (272, 31, 2),
            (273, 35, 3),
            (277, 67, 4),
            (280, 115, 4),
            (281, 131, 5),
            (284, 227, 5),
        ];
        for (sym, len, extra) in table {
            assert_eq!(length_symbol(len), (sym, extra), "length {len}");
        }
        assert_eq!(length_symbol(257), (284, 5));
    }
}

//! PNG encoding of a rasterised card, row by row from its patches.
//!
//! The bytes are those the `png` crate writes for the whole pixmap with `Filter::Up` and
//! `Compression::Fastest` (the same filtered rows through fdeflate's compressor, see
//! [`deflate`](super::deflate)), without building the whole RGB image first: each row is
//! the background with the patches' pixels copied in, and only the bytes under a patch,
//! in this row or the one above, are filtered and read by the compressor. Everywhere else
//! both rows are background, so the filtered bytes are zeros, counted without being
//! looked at: a row of background under another costs a few steps, not 3,601 bytes.

use super::deflate::Deflate;
use super::ink::Raster;
use std::ops::Range;

thread_local! {
    /// The compressed stream's buffer, kept between cards: growing a new one for each
    /// card made the kernel zero fresh pages, a fifth of the encoding time.
    static OUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// PNG's `Up` filter type, written before each filtered row.
const UP: u8 = 2;

/// One row of RGB pixels and the byte ranges where it may differ from the background.
struct Row {
    px: Vec<u8>,
    marks: Vec<Range<usize>>,
}

/// Encodes a card as an 8-bit RGB PNG (a card is opaque).
pub fn encode(raster: &Raster) -> Result<Vec<u8>, String> {
    let stride = raster.width as usize * 3;
    let background: Vec<u8> = raster.background.repeat(raster.width as usize);
    // The row above the first is zeros to the Up filter: different from the background
    // everywhere.
    let mut prev = Row {
        px: vec![0u8; stride],
        marks: std::iter::once(0..stride).collect(),
    };
    let mut cur = Row {
        px: background.clone(),
        marks: Vec::new(),
    };
    let mut line = vec![0u8; stride + 1];
    line[0] = UP;
    let whole = line.len() / 8;
    let mut live: Vec<Range<usize>> = Vec::new();
    let mut z = Deflate::new(OUT.with(|b| std::mem::take(&mut *b.borrow_mut())));
    for y in 0..raster.height {
        // The row two above left its patches in this buffer: background again there.
        for m in cur.marks.drain(..) {
            cur.px[m.clone()].copy_from_slice(&background[m]);
        }
        for p in raster
            .patches
            .iter()
            .filter(|p| p.rect.y0 <= y && y < p.rect.y1)
        {
            let w = (p.rect.x1 - p.rect.x0) as usize;
            let start = (y - p.rect.y0) as usize * w * 4;
            let from = &p.pixmap.data()[start..start + w * 4];
            let span = p.rect.x0 as usize * 3..p.rect.x1 as usize * 3;
            for (d, s) in cur.px[span.clone()]
                .chunks_exact_mut(3)
                .zip(from.chunks_exact(4))
            {
                d.copy_from_slice(&s[..3]);
            }
            cur.marks.push(span);
        }
        // The chunks of the filtered line that can hold a byte other than zero: the filter
        // type's, and those over a mark of either row (the line is one byte ahead).
        live.clear();
        live.push(0..1);
        for m in cur.marks.iter().chain(&prev.marks) {
            live.push((m.start + 1) / 8..(m.end + 1).div_ceil(8).min(whole));
        }
        live.sort_unstable_by_key(|r| r.start);
        let mut merged = 0;
        for i in 1..live.len() {
            if live[i].start <= live[merged].end {
                live[merged].end = live[merged].end.max(live[i].end);
            } else {
                merged += 1;
                live[merged] = live[i].clone();
            }
        }
        live.truncate(merged + 1);
        // Filter what the compressor will read: those chunks and the bytes after the last.
        let tail = whole * 8..line.len();
        for r in live
            .iter()
            .map(|r| r.start * 8..r.end * 8)
            .chain(Some(tail))
        {
            // Line byte i is row byte i - 1 (the filter type comes first).
            let (from, to) = (r.start.max(1), r.end);
            let filtered = cur.px[from - 1..to - 1]
                .iter()
                .zip(&prev.px[from - 1..to - 1]);
            for (f, (c, p)) in line[from..to].iter_mut().zip(filtered) {
                *f = c.wrapping_sub(*p);
            }
        }
        z.write_sparse(&line, &live);
        std::mem::swap(&mut prev, &mut cur);
    }
    let idat = z.finish();
    let mut out = Vec::with_capacity(idat.len() + 64);
    let mut enc = png::Encoder::new(&mut out, raster.width, raster.height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_chunk(png::chunk::IDAT, &idat)
        .map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    OUT.with(|b| *b.borrow_mut() = idat);
    Ok(out)
}

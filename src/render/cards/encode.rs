//! PNG encoding of a rasterised card, row by row from its patches.
//!
//! The bytes are those the `png` crate writes for the whole pixmap with `Filter::Up` and
//! `Compression::Fastest` (the same filtered rows through the same fdeflate compressor),
//! without building the whole RGB image first: each row is the background with the
//! patches' pixels copied in, and a row of background under another row of background
//! filters to zeros without being looked at.

use super::ink::Raster;

thread_local! {
    /// The compressed stream's buffer, kept between cards: growing a new one for each
    /// card made the kernel zero fresh pages, a fifth of the encoding time.
    static OUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// PNG's `Up` filter type, written before each filtered row.
const UP: u8 = 2;

/// Encodes a card as an 8-bit RGB PNG (a card is opaque).
pub fn encode(raster: &Raster) -> Result<Vec<u8>, String> {
    let err = |e: std::io::Error| e.to_string();
    let stride = raster.width as usize * 3;
    let background: Vec<u8> = raster.background.repeat(raster.width as usize);
    let mut prev = vec![0u8; stride];
    let mut cur = vec![0u8; stride];
    let mut line = vec![0u8; stride + 1];
    let mut zeros = vec![0u8; stride + 1];
    line[0] = UP;
    zeros[0] = UP;
    let mut idat = OUT.with(|b| std::mem::take(&mut *b.borrow_mut()));
    idat.clear();
    let mut z = fdeflate::Compressor::new(idat).map_err(err)?;
    let mut prev_plain = false;
    for y in 0..raster.height {
        let mut over = raster
            .patches
            .iter()
            .filter(|p| p.rect.y0 <= y && y < p.rect.y1)
            .peekable();
        let plain = over.peek().is_none();
        if plain && prev_plain {
            z.write_data(&zeros).map_err(err)?;
            continue;
        }
        cur.copy_from_slice(&background);
        for p in over {
            let w = (p.rect.x1 - p.rect.x0) as usize;
            let start = (y - p.rect.y0) as usize * w * 4;
            let from = &p.pixmap.data()[start..start + w * 4];
            let to = &mut cur[p.rect.x0 as usize * 3..p.rect.x1 as usize * 3];
            for (d, s) in to.chunks_exact_mut(3).zip(from.chunks_exact(4)) {
                d.copy_from_slice(&s[..3]);
            }
        }
        for ((f, c), p) in line[1..].iter_mut().zip(&cur).zip(&prev) {
            *f = c.wrapping_sub(*p);
        }
        z.write_data(&line).map_err(err)?;
        std::mem::swap(&mut prev, &mut cur);
        prev_plain = plain;
    }
    let idat = z.finish().map_err(err)?;
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

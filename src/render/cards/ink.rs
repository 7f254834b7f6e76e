//! Rasterising a typeset card where it has ink, and nowhere else.
//!
//! A card is mostly flat background: allocating, filling, converting and compressing its
//! 1200×630 pixels cost more than drawing its text. So the card's text runs are found in
//! the laid-out page, each run's outline box (every glyph's box from its font, plus
//! [`MARGIN`] pixels for antialiasing) becomes a patch, overlapping patches are joined,
//! and typst-render draws each patch on the page's background with the runs inside it,
//! at the same pixel positions. The pixels are those of rendering the whole page: runs
//! never reach outside their patch, and every run that reaches into a patch is drawn in
//! it. A page holding anything else (a shape, an image, a transform, a clip, a stroke, a
//! colour glyph, a background that is not one solid colour) is rendered whole.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use tiny_skia as sk;
use typst::foundations::{Content, Smart};
use typst::layout::{Abs, Frame, FrameItem, Point, Sides, Size};
use typst::text::{FontInstance, TextItem};
use typst::visualize::Paint;
use typst_layout::Page;

/// Pixels added around each glyph's outline box: antialiasing reaches one pixel past it,
/// and [`Place::Grid`] moves a glyph by at most 1/8 px.
const MARGIN: f64 = 2.0;

/// A rectangle of pixels: columns `x0..x1`, rows `y0..y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// The first column.
    pub x0: u32,
    /// The first row.
    pub y0: u32,
    /// One past the last column.
    pub x1: u32,
    /// One past the last row.
    pub y1: u32,
}

impl Rect {
    /// Whether the two rectangles share a pixel.
    fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// The smallest rectangle holding both.
    fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
}

/// A part of a card drawn on its own: where it goes and its opaque pixels.
pub struct Patch {
    /// Where the patch lies on the card.
    pub rect: Rect,
    /// Its pixels, `rect`'s size, premultiplied RGBA as typst-render leaves them.
    pub pixmap: sk::Pixmap,
}

/// A rasterised card: its size, the colour of every pixel outside its patches, and the
/// patches that hold all its ink.
pub struct Raster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The background's RGB bytes, as typst-render fills them.
    pub background: [u8; 3],
    /// The drawn parts, none overlapping another.
    pub patches: Vec<Patch>,
}

/// One pixel per point, as cards are published (1200×630 pt gives 1200×630 px).
fn options() -> typst_render::RenderOptions {
    typst_render::RenderOptions {
        pixel_per_pt: 1.0.into(),
        ..Default::default()
    }
}

/// The pixel size typst-render gives a frame of this size at one pixel per point.
fn pixels(size: Size) -> (u32, u32) {
    let px = |a: Abs| (a.to_pt() as f32).round().max(1.0) as u32;
    (px(size.x), px(size.y))
}

/// Rasterises a card page: only where it has ink when that can be bounded, else whole;
/// glyphs placed as `place` says.
pub fn rasterise(page: &Page, place: Place) -> Raster {
    let (width, height) = pixels(page.frame.size());
    let mut runs = Vec::new();
    let bounded = collect(&page.frame, Point::zero(), (width, height), &mut runs).is_some();
    match background(page) {
        Some(background) if bounded => Raster {
            width,
            height,
            background,
            patches: join(&runs)
                .into_iter()
                .map(|(rect, members)| {
                    let members: Vec<&Run> = members.iter().map(|&i| &runs[i]).collect();
                    draw_glyphs(rect, &members, background, place)
                        .unwrap_or_else(|| draw_patch(page, rect, members.into_iter()))
                })
                .collect(),
        },
        _ => whole(page),
    }
}

/// The page rendered whole, as one patch.
pub fn whole(page: &Page) -> Raster {
    let pixmap = typst_render::render(page, &options());
    let (width, height) = (pixmap.width(), pixmap.height());
    Raster {
        width,
        height,
        background: [0; 3],
        patches: vec![Patch {
            rect: Rect {
                x0: 0,
                y0: 0,
                x1: width,
                y1: height,
            },
            pixmap,
        }],
    }
}

/// A text run at its place on the page and the pixels its ink can reach.
struct Run<'a> {
    at: Point,
    text: &'a TextItem,
    rect: Rect,
}

/// Collects every text run of `frame` (placed at `offset`) with the box its ink lies in;
/// `None` when the frame holds anything that cannot be bounded that way.
fn collect<'a>(
    frame: &'a Frame,
    offset: Point,
    size: (u32, u32),
    runs: &mut Vec<Run<'a>>,
) -> Option<()> {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(group) => {
                if !group.transform.is_identity() || group.clip.is_some() {
                    return None;
                }
                collect(&group.frame, at, size, runs)?;
            }
            FrameItem::Text(text) => {
                if let Some(rect) = ink_box(text, at, size)? {
                    runs.push(Run { at, text, rect });
                }
            }
            FrameItem::Shape(..) | FrameItem::Image(..) => return None,
            FrameItem::Link(..) | FrameItem::Tag(..) => {}
        }
    }
    Some(())
}

/// The pixels a text run's glyphs can touch, clipped to the page (`Some(None)` when none
/// can), placing glyphs exactly as typst-render does; `None` for a run it draws other than
/// as filled outlines (a stroke, a colour or bitmap glyph).
fn ink_box(text: &TextItem, at: Point, (w, h): (u32, u32)) -> Option<Option<Rect>> {
    if text.stroke.is_some() {
        return None;
    }
    let scale = text.size.to_pt() / text.font.units_per_em();
    let ttf = text.font.ttf();
    let (mut x, mut y) = (Abs::zero(), Abs::zero());
    let mut ink: Option<[f64; 4]> = None;
    for glyph in &text.glyphs {
        let id = ttf_parser::GlyphId(glyph.id);
        if !typst::text::color::should_outline(&text.font, id) {
            return None;
        }
        let gx = (at.x + x + glyph.x_offset.at(text.size)).to_pt();
        let gy = (at.y - (y + glyph.y_offset.at(text.size))).to_pt();
        let bbox = BOXES.with(|boxes| {
            *boxes
                .borrow_mut()
                .entry((text.font.clone(), glyph.id))
                .or_insert_with(|| ttf.glyph_bounding_box(id))
        });
        if let Some(b) = bbox {
            let g = [
                gx + f64::from(b.x_min) * scale,
                gy - f64::from(b.y_max) * scale,
                gx + f64::from(b.x_max) * scale,
                gy - f64::from(b.y_min) * scale,
            ];
            ink = Some(match ink {
                None => g,
                Some(i) => [
                    i[0].min(g[0]),
                    i[1].min(g[1]),
                    i[2].max(g[2]),
                    i[3].max(g[3]),
                ],
            });
        }
        x += glyph.x_advance.at(text.size);
        y += glyph.y_advance.at(text.size);
    }
    let Some([l, t, r, b]) = ink else {
        return Some(None);
    };
    if ![l, t, r, b].iter().all(|v| v.is_finite()) {
        return None;
    }
    let lo = |v: f64, max: u32| (v - MARGIN).floor().clamp(0.0, f64::from(max)) as u32;
    let hi = |v: f64, max: u32| (v + MARGIN).ceil().clamp(0.0, f64::from(max)) as u32;
    let rect = Rect {
        x0: lo(l, w),
        y0: lo(t, h),
        x1: hi(r, w),
        y1: hi(b, h),
    };
    Some((rect.x0 < rect.x1 && rect.y0 < rect.y1).then_some(rect))
}

/// Joins the runs' boxes until none overlaps another: each patch with the runs in it.
fn join(runs: &[Run]) -> Vec<(Rect, Vec<usize>)> {
    let mut patches: Vec<(Rect, Vec<usize>)> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.rect, vec![i]))
        .collect();
    'again: loop {
        for i in 0..patches.len() {
            for j in i + 1..patches.len() {
                if patches[i].0.overlaps(&patches[j].0) {
                    let (rect, members) = patches.swap_remove(j);
                    patches[i].0 = patches[i].0.union(&rect);
                    patches[i].1.extend(members);
                    continue 'again;
                }
            }
        }
        return patches;
    }
}

/// Draws the runs of one patch on the page's background, each where it is on the page.
fn draw_patch<'a>(page: &Page, rect: Rect, runs: impl Iterator<Item = &'a Run<'a>>) -> Patch {
    let origin = Point::new(Abs::pt(f64::from(rect.x0)), Abs::pt(f64::from(rect.y0)));
    let mut frame = Frame::hard(Size::new(
        Abs::pt(f64::from(rect.x1 - rect.x0)),
        Abs::pt(f64::from(rect.y1 - rect.y0)),
    ));
    for run in runs {
        frame.push(run.at - origin, FrameItem::Text(run.text.clone()));
    }
    let pixmap = typst_render::render(&part(page, frame), &options());
    Patch { rect, pixmap }
}

/// A page of `frame` with `page`'s background.
fn part(page: &Page, frame: Frame) -> Page {
    Page {
        frame,
        bleed: Sides::splat(Abs::zero()),
        fill: page.fill.clone(),
        numbering: None,
        supplement: Content::empty(),
        number: 1,
    }
}

/// The RGB bytes typst-render fills the page's background with, when it is one opaque
/// colour.
fn background(page: &Page) -> Option<[u8; 3]> {
    if !matches!(page.fill, Smart::Custom(Some(Paint::Solid(_)))) {
        return None;
    }
    let dot = typst_render::render(
        &part(page, Frame::hard(Size::splat(Abs::pt(1.0)))),
        &options(),
    );
    let p = dot.pixel(0, 0)?;
    (p.alpha() == 255).then(|| [p.red(), p.green(), p.blue()])
}

thread_local! {
    /// Pixel buffers of patches already encoded, kept for the next card on this thread:
    /// a fresh buffer for each patch made the kernel zero new pages, ~30 % of rasterising.
    static BUFFERS: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
    /// Glyph outlines by font and glyph, parsed once per thread: Typst caches a glyph's
    /// coverage at its exact position, which a card rarely meets again, and parses its
    /// outline again for each new position (CFF parsing was ~20 % of rasterising).
    static OUTLINES: RefCell<FxHashMap<(FontInstance, u16), Option<pixglyph::Glyph>>> =
        RefCell::new(FxHashMap::default());
    /// Glyph bounding boxes by font and glyph: a CFF font's box is found by parsing the
    /// glyph's outline, so it is kept rather than parsed again for every run.
    static BOXES: RefCell<FxHashMap<(FontInstance, u16), Option<ttf_parser::Rect>>> =
        RefCell::new(FxHashMap::default());
    /// Glyph coverage by font, glyph, size and origin within the pixel in quarters of a
    /// pixel ([`Place::Grid`]): drawn once per thread, then copied wherever the glyph
    /// lands at that offset (pixglyph draws a glyph at its exact origin, which a card
    /// rarely meets again; on the grid, each letter of a size has 16 offsets).
    static COVERAGE: RefCell<Coverages> = RefCell::new(Coverages::default());
}

/// One thread's glyph coverages ([`COVERAGE`]) and the bytes they hold.
#[derive(Default)]
struct Coverages {
    map: FxHashMap<CoverageKey, pixglyph::Bitmap>,
    bytes: usize,
}

/// What [`COVERAGE`] is keyed by: font, glyph, pixels per em (`f32` bits) and the origin
/// within its pixel in quarters (x, y).
type CoverageKey = (FontInstance, u16, u32, u8, u8);

/// The most bytes of glyph coverage a thread keeps: past it the cache starts again. 500
/// cards of the bench corpus use 406 coverages, 0.4 MB; a site in many scripts and sizes
/// cannot grow it without end.
const COVERAGE_BYTES: usize = 16 << 20;

/// What a coverage costs [`COVERAGE_BYTES`]: its pixels and its entry.
fn coverage_bytes(b: &pixglyph::Bitmap) -> usize {
    b.coverage.len() + std::mem::size_of::<(CoverageKey, pixglyph::Bitmap)>()
}

/// Subpixel steps per pixel of [`Place::Grid`], in each direction.
pub const GRID: f32 = 4.0;

/// Where glyphs are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// At the nearest quarter of a pixel in x and in y (moved by at most 1/8 px each way),
    /// their coverage drawn once per offset and reused, as FreeType-based renderers and
    /// browsers place glyphs on a subpixel grid; what cards are drawn with.
    Grid,
    /// At the exact origin typst-render draws them at: the pixels typst-render draws
    /// (what the tests compare sitegen's drawing and blending with).
    #[cfg_attr(not(test), allow(dead_code))]
    Exact,
}

/// Hands a rasterised card's pixel buffers back for the next card drawn on this thread.
pub fn recycle(raster: Raster) {
    BUFFERS.with(|b| {
        let mut b = b.borrow_mut();
        b.extend(raster.patches.into_iter().map(|p| p.pixmap.take()));
        // A card has a handful of patches; more buffers than that are never reused.
        b.truncate(8);
    });
}

/// Draws the runs of one patch as typst-render does (`render_text` and `write_bitmap`:
/// glyphs placed by the same `f32` transforms, rasterised by the same pixglyph, blended
/// with the same integer arithmetic), into a reused buffer filled with `background`,
/// each glyph at its exact origin or on the quarter-pixel grid as `place` says; `None`
/// when a run is drawn other than as a solid-filled glyph bitmap (typst-render then
/// draws the patch, see [`draw_patch`]).
fn draw_glyphs(rect: Rect, runs: &[&Run], background: [u8; 3], place: Place) -> Option<Patch> {
    let (w, h) = (rect.x1 - rect.x0, rect.y1 - rect.y0);
    let size = sk::IntSize::from_wh(w, h)?;
    let origin = Point::new(Abs::pt(f64::from(rect.x0)), Abs::pt(f64::from(rect.y0)));
    let colors = runs
        .iter()
        .map(|run| match &run.text.fill {
            Paint::Solid(color) => {
                let (r, g, b, a) = color
                    .to_process()
                    .to_rgb()
                    .into_format::<u8, u8>()
                    .into_components();
                let c = sk::ColorU8::from_rgba(r, g, b, a).premultiply();
                Some(u32::from_ne_bytes([
                    c.red(),
                    c.green(),
                    c.blue(),
                    c.alpha(),
                ]))
            }
            _ => None,
        })
        .collect::<Option<Vec<u32>>>()?;
    let len = (w * h) as usize * 4;
    let mut data = BUFFERS.with(|b| {
        let mut b = b.borrow_mut();
        // The smallest buffer that holds the patch, else the largest (grown once).
        let fits = (0..b.len())
            .filter(|&i| b[i].capacity() >= len)
            .min_by_key(|&i| b[i].capacity());
        let pick = fits.or_else(|| (0..b.len()).max_by_key(|&i| b[i].capacity()));
        pick.map(|i| b.swap_remove(i)).unwrap_or_default()
    });
    let [r, g, b] = background;
    let fill = [r, g, b, 255];
    data.clear();
    data.extend_from_slice(&fill);
    // Doubling copies: a handful of memcpy calls instead of a store per pixel.
    while data.len() < len {
        let n = data.len().min(len - data.len());
        data.extend_from_within(..n);
    }
    // typst-render's transform of a page at one pixel per point, before any item.
    let base = sk::Transform::from_scale(1.0, 1.0).pre_translate(0.0, 0.0);
    let drawn = OUTLINES.with(|outlines| {
        let mut outlines = outlines.borrow_mut();
        for (run, &color) in runs.iter().zip(&colors) {
            let pos = run.at - origin;
            let ts = base.pre_translate(f32pt(pos.x), f32pt(pos.y));
            let text = run.text;
            let (mut x, mut y) = (Abs::zero(), Abs::zero());
            for glyph in &text.glyphs {
                let x_offset = x + glyph.x_offset.at(text.size);
                let y_offset = y + glyph.y_offset.at(text.size);
                let ts = ts.pre_translate(f32pt(x_offset), f32pt(-y_offset));
                x += glyph.x_advance.at(text.size);
                y += glyph.y_advance.at(text.size);
                let ppem = f32pt(text.size) * ts.sy;
                if !(0.0..=100.0).contains(&ppem) || ts.kx != 0.0 || ts.ky != 0.0 || ts.sx != ts.sy
                {
                    return None;
                }
                let outline = outlines
                    .entry((text.font.clone(), glyph.id))
                    .or_insert_with(|| {
                        pixglyph::Glyph::load(text.font.ttf(), ttf_parser::GlyphId(glyph.id))
                    });
                let Some(outline) = outline else {
                    continue;
                };
                match place {
                    Place::Exact => {
                        let bitmap = outline.rasterize(ts.tx, ts.ty, ppem);
                        blend(&mut data, (w, h), &bitmap, (0, 0), color);
                    }
                    Place::Grid => on_grid(
                        (&text.font, glyph.id, outline),
                        (ts.tx, ts.ty),
                        ppem,
                        |bitmap, shift| blend(&mut data, (w, h), bitmap, shift, color),
                    )?,
                }
            }
        }
        Some(())
    });
    match drawn {
        Some(()) => Some(Patch {
            rect,
            pixmap: sk::Pixmap::from_vec(data, size)?,
        }),
        None => {
            BUFFERS.with(|b| b.borrow_mut().push(data));
            None
        }
    }
}

/// Hands `draw` the coverage of a glyph (font, id and parsed outline) whose origin is
/// `(tx, ty)` moved to the nearest quarter of a pixel each way, and the whole pixels to
/// move that coverage by: drawn by pixglyph at the origin's offset within its pixel
/// once per thread ([`COVERAGE`]). `None` for an origin too far out to be a card's.
fn on_grid(
    (font, id, outline): (&FontInstance, u16, &pixglyph::Glyph),
    (tx, ty): (f32, f32),
    ppem: f32,
    draw: impl FnOnce(&pixglyph::Bitmap, (i32, i32)),
) -> Option<()> {
    let (qx, qy) = ((tx * GRID).round(), (ty * GRID).round());
    if !(qx.abs() < 1e6 && qy.abs() < 1e6) {
        return None;
    }
    let (qx, qy, steps) = (qx as i32, qy as i32, GRID as i32);
    let (sx, sy) = (qx.rem_euclid(steps), qy.rem_euclid(steps));
    let key = (font.clone(), id, ppem.to_bits(), sx as u8, sy as u8);
    let at = (qx.div_euclid(steps), qy.div_euclid(steps));
    COVERAGE.with(|coverage| {
        let mut c = coverage.borrow_mut();
        if let Some(bitmap) = c.map.get(&key) {
            return draw(bitmap, at);
        }
        let bitmap = outline.rasterize(sx as f32 / GRID, sy as f32 / GRID, ppem);
        draw(&bitmap, at);
        let size = coverage_bytes(&bitmap);
        if c.bytes + size > COVERAGE_BYTES {
            c.map.clear();
            c.bytes = 0;
        }
        c.bytes += size;
        c.map.insert(key, bitmap);
    });
    Some(())
}

/// Each patch of a card drawn both ways: by [`draw_glyphs`] (glyphs placed as `place`
/// says) and by typst-render ([`draw_patch`]); `None` when the page is not drawn in
/// patches.
#[cfg(test)]
pub fn both_ways(page: &Page, place: Place) -> Option<Vec<(Option<Patch>, Patch)>> {
    let (width, height) = pixels(page.frame.size());
    let mut runs = Vec::new();
    collect(&page.frame, Point::zero(), (width, height), &mut runs)?;
    let background = background(page)?;
    Some(
        join(&runs)
            .into_iter()
            .map(|(rect, members)| {
                let members: Vec<&Run> = members.iter().map(|&i| &runs[i]).collect();
                let ours = draw_glyphs(rect, &members, background, place);
                (ours, draw_patch(page, rect, members.into_iter()))
            })
            .collect(),
    )
}

/// A length in points as `f32`, as typst-render converts it.
fn f32pt(a: Abs) -> f32 {
    a.to_pt() as f32
}

/// Blends a glyph's coverage in `color` (premultiplied RGBA, as a native-endian `u32`)
/// over the `w`×`h` pixels of `data`, moved by `shift` whole pixels, as typst-render's
/// `write_bitmap` does without a clip mask: the same skipped, copied and blended pixels,
/// the same arithmetic.
fn blend(
    data: &mut [u8],
    (w, h): (u32, u32),
    bitmap: &pixglyph::Bitmap,
    shift: (i32, i32),
    color: u32,
) {
    let (cw, ch) = (w as i32, h as i32);
    let (mw, mh) = (bitmap.width as i32, bitmap.height as i32);
    let (left, top) = (bitmap.left + shift.0, bitmap.top + shift.1);
    let (x0, x1) = (left.clamp(0, cw), (left + mw).clamp(0, cw));
    if x0 >= x1 {
        return;
    }
    // typst-render's test for an opaque colour looks at the low byte.
    let opaque = color & 0xFF == 0xFF;
    for y in top.clamp(0, ch)..(top + mh).clamp(0, ch) {
        let from = ((y - top) * mw + (x0 - left)) as usize;
        let coverage = &bitmap.coverage[from..from + (x1 - x0) as usize];
        let at = (y * cw + x0) as usize * 4;
        let row = &mut data[at..at + (x1 - x0) as usize * 4];
        for (&cov, px) in coverage.iter().zip(row.chunks_exact_mut(4)) {
            if cov == 0 {
                continue;
            }
            let out = if cov == u8::MAX && opaque {
                color
            } else {
                let dst = u32::from_ne_bytes([px[0], px[1], px[2], px[3]]);
                let src = alpha_mul(color, u32::from(cov));
                src + alpha_mul(dst, 256 - (src >> 24))
            };
            px.copy_from_slice(&out.to_ne_bytes());
        }
    }
}

/// Multiplies a packed premultiplied colour by `scale`/256, as typst-render (and Skia) do.
fn alpha_mul(color: u32, scale: u32) -> u32 {
    let mask = 0xff00ff;
    let rb = ((color & mask) * scale) >> 8;
    let ag = ((color >> 8) & mask) * scale;
    (rb & mask) | (ag & !mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glyph_on_the_grid_is_the_bitmap_pixglyph_draws_there_and_others_move_to_it() {
        let src = super::super::source("The Spark Ledger", "h", "Agate Wq 52.77", None);
        let doc = super::super::compile(&src).unwrap();
        let mut runs = Vec::new();
        collect(&doc.pages()[0].frame, Point::zero(), (1200, 630), &mut runs).unwrap();
        let mut checked = 0;
        for run in &runs {
            let ppem = f32pt(run.text.size);
            for glyph in &run.text.glyphs {
                let id = ttf_parser::GlyphId(glyph.id);
                let Some(outline) = pixglyph::Glyph::load(run.text.font.ttf(), id) else {
                    continue;
                };
                // On the grid, near the page's corners and in its middle; then off it,
                // each at most 1/8 px from the grid point it is drawn at.
                let cases = [
                    ((0.0, 0.0), (0.0, 0.0)),
                    ((37.25, 101.5), (37.25, 101.5)),
                    ((512.75, 33.0), (512.75, 33.0)),
                    ((1100.5, 600.25), (1100.5, 600.25)),
                    ((37.3, 101.4), (37.25, 101.5)),
                    ((512.87, 33.12), (512.75, 33.0)),
                    ((1100.63, 600.37), (1100.75, 600.25)),
                ];
                for ((tx, ty), (gx, gy)) in cases {
                    let direct = outline.rasterize(gx, gy, ppem);
                    on_grid(
                        (&run.text.font, glyph.id, &outline),
                        (tx, ty),
                        ppem,
                        |b, (dx, dy)| {
                            let at = (tx, ty, glyph.id);
                            assert_eq!(
                                (b.left + dx, b.top + dy),
                                (direct.left, direct.top),
                                "{at:?}"
                            );
                            assert_eq!(
                                (b.width, b.height),
                                (direct.width, direct.height),
                                "{at:?}"
                            );
                            assert!(b.coverage == direct.coverage, "coverage differs at {at:?}");
                        },
                    )
                    .unwrap();
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn a_threads_glyph_coverage_stays_within_its_budget() {
        let src = super::super::source("S", "h", "Wide MW glyphs", None);
        let doc = super::super::compile(&src).unwrap();
        let mut runs = Vec::new();
        collect(&doc.pages()[0].frame, Point::zero(), (1200, 630), &mut runs).unwrap();
        let text = runs[0].text;
        let glyphs: Vec<(u16, pixglyph::Glyph)> = text
            .glyphs
            .iter()
            .filter_map(|g| {
                let outline = pixglyph::Glyph::load(text.font.ttf(), ttf_parser::GlyphId(g.id))?;
                Some((g.id, outline))
            })
            .collect();
        let bytes = || COVERAGE.with(|c| c.borrow().bytes);
        let (mut most, mut dropped) = (0, false);
        // Large sizes at every offset, until the cache has started again at least once.
        'sizes: for size in 400..2000 {
            let ppem = size as f32 / 20.0;
            for (id, outline) in &glyphs {
                for q in 0..16 {
                    let at = ((q % 4) as f32 / 4.0, (q / 4) as f32 / 4.0);
                    let before = bytes();
                    on_grid((&text.font, *id, outline), at, ppem, |_, _| {}).unwrap();
                    most = most.max(bytes());
                    if bytes() < before {
                        dropped = true;
                        break 'sizes;
                    }
                }
            }
        }
        assert!(
            dropped,
            "the cache never started again (it holds {most} bytes)"
        );
        assert!(most <= COVERAGE_BYTES, "{most} bytes kept");
        assert!(most > COVERAGE_BYTES / 2, "{most} bytes kept");
    }
}

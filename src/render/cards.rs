//! Social cards: a 1200×630 PNG per article (site name, title, and the headline figure
//! its front matter names), typeset by Typst in-process with the PDF's fonts and
//! rasterised by typst-render. A card is cached by a hash of its Typst source, in
//! memory (so `serve` redraws only a card whose text changed) and on disk (so a second
//! `build` draws nothing).

use crate::check::site::{Page, Site};
use crate::diagnostics::{Diagnostic, Span};
use crate::render::html::OutputFile;
use crate::render::pdf::{escape_str, SiteWorld};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use typst::foundations::Datetime;
use typst_layout::PagedDocument;

mod deflate;
mod encode;
mod ink;

/// Cards drawn in this process, by the hash of their source.
static MEMORY: LazyLock<Mutex<HashMap<u64, Arc<Vec<u8>>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Where drawn cards are kept between runs: `$SITEGEN_CACHE_DIR/cards`, else the
/// system's temporary folder.
fn disk_dir() -> PathBuf {
    std::env::var_os("SITEGEN_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("sitegen-cache"))
        .join("cards")
}

/// The Typst source of an article's card.
pub fn source(site_title: &str, host: &str, title: &str, headline: Option<(&str, &str)>) -> String {
    let size = if title.chars().count() > 60 { 48 } else { 64 };
    let headline = match headline {
        Some((value, label)) => format!(
            "#v(24pt)\n#text(size: 88pt, weight: \"bold\", fill: rgb(\"#6fd08c\"), \"{}\")\n#linebreak()\n#text(size: 28pt, fill: rgb(\"#a5a3ad\"), \"{}\")\n",
            escape_str(value),
            escape_str(label)
        ),
        None => String::new(),
    };
    format!(
        "#set page(width: 1200pt, height: 630pt, margin: (x: 72pt, y: 60pt), fill: rgb(\"#15161a\"))\n\
         #set text(font: \"Libertinus Serif\", fill: rgb(\"#e8e6e1\"), size: 28pt)\n\
         #set par(leading: 0.45em)\n\
         #text(size: 30pt, weight: \"bold\", fill: rgb(\"#7ab8f5\"), \"{}\")\n\
         #v(1fr)\n\
         #text(size: {size}pt, weight: \"bold\", \"{}\")\n\
         {headline}\
         #v(1fr)\n\
         #text(size: 22pt, fill: rgb(\"#a5a3ad\"), \"{}\")\n",
        escape_str(site_title),
        escape_str(title),
        escape_str(host)
    )
}

/// How cards are drawn, part of every card's cache key: raised whenever the same source
/// would be drawn to other bytes, so that no cache holds cards of two drawings.
/// 2: glyphs on the quarter-pixel grid ([`ink::Place::Grid`]).
const DRAWING: u32 = 2;

/// A card's key in the caches: its source, the drawing and sitegen's version.
fn hash(source: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    DRAWING.hash(&mut h);
    source.hash(&mut h);
    h.finish()
}

/// Draws a card's source to PNG bytes, from the caches when it was drawn before.
pub fn draw(source: &str) -> Result<Arc<Vec<u8>>, String> {
    let key = hash(source);
    if let Some(png) = MEMORY.lock().map_err(|e| e.to_string())?.get(&key) {
        return Ok(png.clone());
    }
    let file = disk_file(key);
    let png = match std::fs::read(&file) {
        Ok(bytes) if bytes.starts_with(PNG_SIGNATURE) => bytes,
        _ => draw_and_store(source, &file)?,
    };
    let png = Arc::new(png);
    MEMORY
        .lock()
        .map_err(|e| e.to_string())?
        .insert(key, png.clone());
    Ok(png)
}

/// The first bytes of every PNG file: a cached card that lacks them is drawn again.
const PNG_SIGNATURE: &[u8] = b"\x89PNG";

/// The disk cache's file for the card of this hash.
fn disk_file(key: u64) -> PathBuf {
    disk_dir().join(format!("{key:016x}.png"))
}

/// Typesets a card that no cache holds, stores it in the disk cache at `file` and
/// returns its bytes.
fn draw_and_store(source: &str, file: &Path) -> Result<Vec<u8>, String> {
    let bytes = draw_new(source)?;
    let clock = ThreadClock::start();
    store(&bytes, file);
    clock.lap(&STORE_NANOS);
    Ok(bytes)
}

/// Typesets a card that no cache holds (counted in [`DRAWN`] and [`DRAW_NANOS`]).
fn draw_new(source: &str) -> Result<Vec<u8>, String> {
    let clock = ThreadClock::start();
    let bytes = typeset(source)?;
    clock.lap(&DRAW_NANOS);
    // Typst memoizes what it lays out, which on a card is rarely met again: without
    // eviction the cache only grows, and the fresh memory it takes is zeroed by the
    // kernel at a cost.
    if DRAWN.fetch_add(1, Ordering::Relaxed) % 32 == 31 {
        typst::comemo::evict(4);
    }
    Ok(bytes)
}

/// Writes a card's bytes into the disk cache as `file`, whole, then renamed into place;
/// whether it could. A cache that cannot be written only costs the next run time.
fn store(bytes: &[u8], file: &Path) -> bool {
    if std::fs::create_dir_all(file.parent().unwrap_or(file)).is_err() {
        return false;
    }
    // One temporary name per call: two threads drawing the same card must not write
    // into one file while the other renames it into the cache.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let tmp = file.with_extension(format!("tmp{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, file).is_ok()
}

/// Puts a card just published at `published` into the disk cache as `cache` (see
/// [`Png::Drawn`]): a hard link, so no byte is written twice, else a copy written whole
/// and renamed into place (another file system). A cache that already holds the card
/// (another thread or process drew it too) is left as it is; one that cannot be written
/// only costs the next run time.
pub fn keep(published: &Path, cache: &Path) {
    use std::io::ErrorKind::{AlreadyExists, NotFound};
    let clock = ThreadClock::start();
    let link = || match std::fs::hard_link(published, cache) {
        Err(e) if e.kind() == AlreadyExists => Ok(()),
        other => other,
    };
    let linked = match link() {
        Err(e) if e.kind() == NotFound => {
            std::fs::create_dir_all(cache.parent().unwrap_or(cache)).is_ok() && link().is_ok()
        }
        other => other.is_ok(),
    };
    if !linked {
        if let Ok(bytes) = std::fs::read(published) {
            store(&bytes, cache);
        }
    }
    clock.lap(&STORE_NANOS);
}

/// A card as `build` publishes it: the disk cache's file when it holds the card (linked
/// or copied into the output without passing through memory), else the bytes just drawn.
#[derive(Debug)]
pub enum Png {
    /// The card's file in the disk cache (written whole, then renamed or linked into place).
    Cached(PathBuf),
    /// A card just drawn: its bytes, and the disk cache's file that should hold them once
    /// they are published (see [`keep`]).
    Drawn(Vec<u8>, PathBuf),
}

/// Draws a card's source for publishing: from the disk cache when it was drawn before,
/// else typeset, for the publisher to write and then [`keep`] in the cache (written once,
/// linked into the cache, rather than written to the cache and linked out of it). Unlike
/// [`draw`], it keeps nothing in memory, so a build of thousands of pages never holds
/// their cards.
pub fn draw_to_disk(source: &str) -> Result<Png, String> {
    use std::io::Read;
    let clock = ThreadClock::start();
    let file = disk_file(hash(source));
    let mut head = [0u8; PNG_SIGNATURE.len()];
    let cached = match open_unstamped(&file) {
        Ok(mut f) => {
            let valid = f.read_exact(&mut head).is_ok() && head == PNG_SIGNATURE;
            if !valid {
                // A damaged file is removed, so that the card drawn now can take its name.
                let _ = std::fs::remove_file(&file);
            }
            valid
        }
        Err(_) => false,
    };
    clock.lap(&LOOKUP_NANOS);
    if cached {
        return Ok(Png::Cached(file));
    }
    Ok(Png::Drawn(draw_new(source)?, file))
}

/// Opens a cached card for reading without updating its access time where the system
/// allows (`O_NOATIME` on Linux, for files of this user): each build links every card
/// into the output, which changes the file's ctime, so under `relatime` every lookup
/// would otherwise write the card's inode again.
fn open_unstamped(file: &Path) -> std::io::Result<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOATIME)
            .open(file)
        {
            // Not the file's owner: O_NOATIME is refused, a plain open is not.
            Err(e) if e.raw_os_error() == Some(libc::EPERM) => {}
            other => return other,
        }
    }
    std::fs::File::open(file)
}

/// Typesets, rasterises and encodes one card (one page at one pixel per point:
/// 1200×630), rasterising only where it has ink ([`ink`]) and encoding it row by row
/// ([`encode`]).
fn typeset(source: &str) -> Result<Vec<u8>, String> {
    let clock = ThreadClock::start();
    let doc = compile(source)?;
    let page = doc.pages().first().ok_or("the card has no page")?;
    let clock = clock.lap(&TYPESET_NANOS);
    let raster = ink::rasterise(page, ink::Place::Grid);
    let clock = clock.lap(&RASTER_NANOS);
    let png = encode::encode(&raster);
    ink::recycle(raster);
    clock.lap(&ENCODE_NANOS);
    png
}

/// Typesets a card's source with Typst.
fn compile(source: &str) -> Result<PagedDocument, String> {
    let date = Datetime::from_ymd(2026, 1, 1).ok_or("date")?;
    let world = SiteWorld::new(
        source.to_string(),
        String::new(),
        String::new(),
        &BTreeMap::new(),
        date,
    )
    .ok_or("cannot set up the Typst sources")?;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        typst::compile::<PagedDocument>(&world).output
    }))
    .map_err(|_| "Typst failed unexpectedly while drawing the card".to_string())?;
    let doc = run.map_err(|errors| {
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(doc)
}

/// CPU time spent drawing cards not in a cache, encoding included (nanoseconds).
pub static DRAW_NANOS: AtomicU64 = AtomicU64::new(0);
/// CPU time spent evicting Typst's memo cache and writing drawn cards into the disk
/// cache (all threads, nanoseconds).
pub static STORE_NANOS: AtomicU64 = AtomicU64::new(0);
/// CPU time spent hashing cards' sources and looking them up in the disk cache (all
/// threads, nanoseconds).
pub static LOOKUP_NANOS: AtomicU64 = AtomicU64::new(0);
/// How many cards were drawn rather than found in a cache.
pub static DRAWN: AtomicU64 = AtomicU64::new(0);
/// CPU time spent typesetting cards with Typst (all threads, nanoseconds).
pub static TYPESET_NANOS: AtomicU64 = AtomicU64::new(0);
/// CPU time spent rasterising typeset cards (all threads, nanoseconds).
pub static RASTER_NANOS: AtomicU64 = AtomicU64::new(0);
/// CPU time spent encoding cards as PNG (all threads, nanoseconds).
pub static ENCODE_NANOS: AtomicU64 = AtomicU64::new(0);

/// The CPU time of the calling thread, for timings that stay true on a busy machine
/// (a wall clock would count the time other processes ran). Falls back to the wall
/// clock where there is no per-thread clock.
struct ThreadClock(u64);

impl ThreadClock {
    /// Starts timing on this thread (a no-op unless [`timed`]).
    fn start() -> Self {
        ThreadClock(if timed() { thread_cpu_nanos() } else { 0 })
    }

    /// Adds the time since the start to `total` and starts again (a no-op unless [`timed`]).
    fn lap(self, total: &AtomicU64) -> Self {
        if !timed() {
            return self;
        }
        let now = thread_cpu_nanos();
        total.fetch_add(now.saturating_sub(self.0), Ordering::Relaxed);
        ThreadClock(now)
    }
}

/// Whether `SITEGEN_TIMINGS` asks for the cards' timings: reading a thread's CPU clock is
/// a system call (no vDSO), two per card looked up, so it is read only when reported.
fn timed() -> bool {
    static ON: LazyLock<bool> = LazyLock::new(|| std::env::var_os("SITEGEN_TIMINGS").is_some());
    *ON
}

/// Nanoseconds of CPU time the calling thread has used.
#[cfg(unix)]
fn thread_cpu_nanos() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for clock_gettime to fill.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } != 0 {
        return 0;
    }
    t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64
}

/// Nanoseconds since the first call (no per-thread clock on this system).
#[cfg(not(unix))]
fn thread_cpu_nanos() -> u64 {
    static START: LazyLock<std::time::Instant> = LazyLock::new(std::time::Instant::now);
    START.elapsed().as_nanos() as u64
}

/// The host of the site's base URL, printed at the foot of every card.
fn host(site: &Site) -> String {
    let b = &site.config.base_url;
    let rest = b.find("://").map_or(b.as_str(), |i| &b[i + 3..]);
    rest.trim_end_matches('/').to_string()
}

/// Where a page's card is published: `SLUG/card.png`.
pub fn card_path(p: &Page) -> String {
    format!("{}card.png", p.article.url_path.trim_start_matches('/'))
}

/// The alt text of a page's card.
pub fn card_alt(site: &Site, p: &Page) -> String {
    let mut alt = format!("{}: {}", site.config.title, p.article.front.title);
    if let Some(h) = &p.headline {
        alt.push_str(&format!(". {}: {}", h.label, h.value));
    }
    alt
}

/// The Typst source of a page's card.
fn page_source(site: &Site, p: &Page) -> String {
    source(
        &site.config.title,
        &host(site),
        &p.article.front.title,
        p.headline
            .as_ref()
            .map(|h| (h.value.as_str(), h.label.as_str())),
    )
}

/// The error of a card that cannot be drawn, at its article.
fn card_error(p: &Page, e: String) -> Diagnostic {
    Diagnostic::error(
        "card",
        Span::file(&p.article.path),
        format!("cannot draw the social card: {e}"),
    )
}

/// Draws a page's card (kept in memory too: what `serve` holds).
pub fn render_card(site: &Site, p: &Page) -> Result<OutputFile, Diagnostic> {
    let png = draw(&page_source(site, p)).map_err(|e| card_error(p, e))?;
    Ok(OutputFile {
        path: card_path(p),
        bytes: png.as_ref().clone(),
    })
}

/// Draws a page's card for `build`: its path in the output and where its PNG is (see
/// [`draw_to_disk`]); nothing is kept in memory.
pub fn render_card_to_disk(site: &Site, p: &Page) -> Result<(String, Png), Diagnostic> {
    let png = draw_to_disk(&page_source(site, p)).map_err(|e| card_error(p, e))?;
    Ok((card_path(p), png))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width and height from a PNG's IHDR chunk.
    fn png_size(png: &[u8]) -> (u32, u32) {
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
        (be(16), be(20))
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_drawn_once() {
        let src = source(
            "The Spark Ledger",
            "example.org",
            "A \"quoted\" title with #hash and $dollar",
            Some(("52.77 tok/s", "DGX Spark, eval tps")),
        );
        // Text is passed as Typst strings: nothing in it is markup.
        assert!(
            src.contains("\"A \\\"quoted\\\" title with #hash and $dollar\""),
            "{src}"
        );
        let a = draw(&src).unwrap();
        assert_eq!(png_size(&a), (1200, 630));
        let b = draw(&src).unwrap();
        assert!(
            Arc::ptr_eq(&a, &b),
            "the second draw comes from the memory cache"
        );
        let other = draw(&source("S", "h", "Another title", None)).unwrap();
        assert_ne!(a.as_ref(), other.as_ref());
    }

    /// The RGB pixels of a PNG.
    fn pixels(png: &[u8]) -> Vec<u8> {
        let mut r = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        buf
    }

    /// Cards of every shape: with and without a headline, one and two title lines,
    /// quotes, accents, Greek, Cyrillic, a script no embedded font has.
    fn sample_sources() -> Vec<String> {
        vec![
            source(
                "The Spark Ledger",
                "spark-ledger.example.org",
                "DGX Spark Benchmarks: Against a Dual-GPU Desktop, Jetson Thor and a Mac Mini",
                Some((
                    "52.77 tok/s",
                    "DGX Spark (ollama, benchmark video via nerdpudding), eval tps",
                )),
            ),
            source("S", "h", "Short", None),
            source(
                "Ünïcödé «Guide» — Ωμέγα",
                "example.org/guide",
                "Ågot fjäll: Ελληνικά, кириллица, 日本語, \"quotes\" & $ # @ {}",
                Some(("3.7x", "ratio")),
            ),
            source(
                "A very long site name that runs on and on across the card",
                "x.y",
                &"Long words ".repeat(12),
                Some(("1,234,567.89 GB/s", &"label ".repeat(30))),
            ),
        ]
    }

    #[test]
    fn drawing_only_the_ink_gives_the_pixels_of_the_whole_page() {
        for src in sample_sources() {
            let doc = compile(&src).unwrap();
            let page = &doc.pages()[0];
            let fast = ink::rasterise(page, ink::Place::Exact);
            let area: u32 = fast
                .patches
                .iter()
                .map(|p| (p.rect.x1 - p.rect.x0) * (p.rect.y1 - p.rect.y0))
                .sum();
            assert!(
                fast.patches.len() > 1 && area < 1200 * 630 / 2,
                "the card was not drawn in patches ({} patches, {area} px)",
                fast.patches.len()
            );
            let a = pixels(&encode::encode(&fast).unwrap());
            let b = pixels(&encode::encode(&ink::whole(page)).unwrap());
            assert_eq!(a.len(), b.len());
            // Glyphs land at the same pixel positions; only the rounding of a coverage
            // near 1 (254 or 255 of 255) may differ, as it does when a title moves by a
            // fraction of a pixel. A glyph cut at a patch's edge would differ by far more.
            let worst = a.iter().zip(&b).map(|(x, y)| x.abs_diff(*y)).max();
            assert!(worst <= Some(1), "a pixel differs by {worst:?}: {src}");
            // Outside the patches the whole page is exactly background: no ink, not even
            // an antialiased fringe, was left out.
            for (i, px) in b.chunks(3).enumerate() {
                let (x, y) = ((i % 1200) as u32, (i / 1200) as u32);
                let inside = fast
                    .patches
                    .iter()
                    .any(|p| p.rect.x0 <= x && x < p.rect.x1 && p.rect.y0 <= y && y < p.rect.y1);
                if !inside {
                    assert_eq!(px, fast.background, "ink at ({x}, {y}) outside every patch");
                }
            }
        }
    }

    #[test]
    fn glyphs_drawn_by_sitegen_are_the_pixels_typst_render_draws() {
        for src in sample_sources() {
            let doc = compile(&src).unwrap();
            let pairs = ink::both_ways(&doc.pages()[0], ink::Place::Exact)
                .expect("the card is drawn in patches");
            assert!(pairs.len() > 1, "{src}");
            for (ours, typst) in pairs {
                let ours = ours.expect("every run of a card is a solid-filled outline");
                assert_eq!(ours.rect, typst.rect);
                assert_eq!(
                    (ours.pixmap.width(), ours.pixmap.height()),
                    (typst.pixmap.width(), typst.pixmap.height())
                );
                let diff = ours
                    .pixmap
                    .data()
                    .iter()
                    .zip(typst.pixmap.data())
                    .filter(|(a, b)| a != b)
                    .count();
                assert_eq!(diff, 0, "{diff} bytes differ in {:?}: {src}", ours.rect);
                // Not a blank patch: text was drawn.
                let bg = &typst.pixmap.data()[..4];
                assert!(ours.pixmap.data().chunks(4).any(|p| p != bg), "{src}");
            }
        }
    }

    /// The most a colour channel of a card may differ from typst-render's drawing of it,
    /// glyphs moved to the quarter-pixel grid: moving an edge by up to 1/8 px each way
    /// changes the coverage of a pixel it crosses by at most about a quarter of its area.
    /// (The samples: at most 45, 0.96 on average.)
    const GRID_WORST: u8 = 64;
    /// The most the mean difference of a byte of a card's patches may be (in 1/255ths).
    const GRID_MEAN: f64 = 1.5;

    #[test]
    fn glyphs_on_the_grid_differ_from_typst_renders_by_at_most_an_eighth_of_a_pixel() {
        for src in sample_sources() {
            let doc = compile(&src).unwrap();
            let pairs = ink::both_ways(&doc.pages()[0], ink::Place::Grid)
                .expect("the card is drawn in patches");
            let (mut sum, mut n, mut worst, mut moved) = (0u64, 0u64, 0u8, 0u64);
            for (ours, typst) in pairs {
                let ours = ours.expect("every run of a card is a solid-filled outline");
                assert_eq!(ours.rect, typst.rect);
                for (a, b) in ours.pixmap.data().iter().zip(typst.pixmap.data()) {
                    let d = a.abs_diff(*b);
                    sum += u64::from(d);
                    worst = worst.max(d);
                    moved += u64::from(d > 0);
                    n += 1;
                }
            }
            let mean = sum as f64 / n as f64;
            assert!(worst <= GRID_WORST, "a channel differs by {worst}: {src}");
            assert!(
                mean <= GRID_MEAN,
                "channels differ by {mean:.2} on average: {src}"
            );
            // Glyphs did move: the test would pass trivially if the grid were not used.
            assert!(moved > 0, "{src}");
        }
    }

    #[test]
    fn a_recycled_buffer_draws_the_same_card() {
        // The second card reuses the first one's buffers, larger and dirty.
        let big = source("S", "h", &"Long words ".repeat(12), Some(("1 GB", "x")));
        let small = source("S", "h", "Short", None);
        let once = {
            let doc = compile(&small).unwrap();
            encode::encode(&ink::rasterise(&doc.pages()[0], ink::Place::Grid)).unwrap()
        };
        let doc = compile(&big).unwrap();
        ink::recycle(ink::rasterise(&doc.pages()[0], ink::Place::Grid));
        let doc = compile(&small).unwrap();
        let again = encode::encode(&ink::rasterise(&doc.pages()[0], ink::Place::Grid)).unwrap();
        assert_eq!(once, again);
    }

    /// The `png` crate's encoding of a whole pixmap, as cards were encoded before [`encode`].
    fn png_crate_encode(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
        let rgb: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fastest);
        enc.set_filter(png::Filter::Up);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&rgb).unwrap();
        w.finish().unwrap();
        out
    }

    #[test]
    fn the_encoder_writes_the_bytes_the_png_crate_writes() {
        for src in sample_sources() {
            let doc = compile(&src).unwrap();
            let whole = ink::whole(&doc.pages()[0]);
            let ours = encode::encode(&whole).unwrap();
            assert_eq!(ours, png_crate_encode(&whole.patches[0].pixmap), "{src}");
            // And patches over a background encode as that background with them pasted in.
            let fast = ink::rasterise(&doc.pages()[0], ink::Place::Grid);
            let mut expected = fast.background.repeat(1200 * 630);
            for p in &fast.patches {
                let w = (p.rect.x1 - p.rect.x0) as usize;
                for (i, px) in p.pixmap.data().chunks(4).enumerate() {
                    let (x, y) = (p.rect.x0 as usize + i % w, p.rect.y0 as usize + i / w);
                    expected[(y * 1200 + x) * 3..][..3].copy_from_slice(&px[..3]);
                }
            }
            assert_eq!(pixels(&encode::encode(&fast).unwrap()), expected, "{src}");
        }
    }

    #[test]
    fn a_card_drawn_for_build_is_a_file_of_the_disk_cache_and_not_kept_in_memory() {
        // A title no earlier run drew: the disk cache outlives test runs.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let title = format!("A card for the disk only, {} {now}", std::process::id());
        let src = source("S", "h", &title, Some(("1 GB", "x")));
        let Png::Drawn(bytes, file) = draw_to_disk(&src).unwrap() else {
            panic!("a card no build drew before is drawn");
        };
        assert_eq!(png_size(&bytes), (1200, 630));
        assert!(!MEMORY.lock().unwrap().contains_key(&hash(&src)));
        // Published, then kept: the cache's file is the published one.
        let dir = std::env::temp_dir().join(format!("sitegen-keep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let published = dir.join("card.png");
        std::fs::write(&published, &bytes).unwrap();
        keep(&published, &file);
        assert_eq!(std::fs::read(&file).unwrap(), bytes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
            assert_eq!(ino(&published), ino(&file), "a link, not a copy");
        }
        std::fs::remove_dir_all(&dir).unwrap();
        // Drawn again: the same file of the cache, and the same bytes as `draw` gives.
        let Png::Cached(again) = draw_to_disk(&src).unwrap() else {
            panic!("the second draw comes from the disk cache");
        };
        assert_eq!(again, file);
        assert_eq!(*draw(&src).unwrap(), std::fs::read(&file).unwrap());
        std::fs::remove_file(&file).unwrap();
    }
}

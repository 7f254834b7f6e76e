//! The SVG of a chart: one string, inline in the page and embedded in the PDF.
//!
//! A small writer of our own rather than a plotting crate, for exact control over what
//! a reader and a screen reader get: `role="group"` (not `img`: an image may hold no
//! links, and each mark links to its source) named by a `<title>`, a `<desc>` that
//! states every value, real `<text>` labels (no font embedded, so the page's font and
//! the PDF's font are used), each mark inside an `<a>` to its source with a tooltip,
//! and colours given twice: as presentation attributes (fixed, what Typst and any
//! viewer draw) and as classes, which the page's stylesheet restyles for light and
//! dark (a stylesheet rule beats a presentation attribute).

use super::{flag_mark, join_conditions, Axis, Bar, Body, Chart, Point, Reading};
use crate::figures::units::format_number;
use std::fmt::Write;

/// Width of every chart's coordinate system (its `viewBox`).
pub const WIDTH: f64 = 640.0;
/// Font size of labels, in viewBox units.
const FONT: f64 = 13.0;
/// Estimated advance of one character at [`FONT`] (labels are measured with it).
const CHAR_W: f64 = 7.6;
/// Fixed colours of the series (the page restyles `.series-N`).
pub const PALETTE: [&str; 6] = [
    "#2f6db5", "#c0572a", "#3a8f5c", "#8a5cb8", "#a07a12", "#5b6b7a",
];
const INK: &str = "#1d1d1f";
const MUTED: &str = "#5b5b66";
const GRID: &str = "#dcd9d0";

/// Escapes text for XML content and attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros.
fn n(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The estimated width of a label.
fn text_w(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// Round tick values covering `lo..=hi` (steps of 1, 2 or 5 times a power of ten).
pub fn ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, usize) {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo, lo + 1.0) };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let p = 10f64.powi(decimals as i32);
    let first = (lo / step).floor() as i64;
    let mut out = Vec::new();
    for i in first.. {
        let v = ((i as f64 * step) * p).round() / p;
        out.push(if v == 0.0 { 0.0 } else { v });
        if v >= hi - step * 1e-9 || out.len() > 50 {
            break;
        }
    }
    (out, decimals)
}

/// A value with its flag and best marks, as printed beside a mark.
fn marked(r: &Reading, best: bool) -> String {
    let mut t = r.text.clone();
    if let Some(f) = r.flag {
        t.push(' ');
        t.push_str(flag_mark(f).0);
    }
    if best {
        t.push_str(" ▲");
    }
    t
}

/// The tooltip of a mark: its label, the value and where it comes from.
fn tip(label: &str, r: &Reading) -> String {
    let mut t = format!("{label}: {}", r.tooltip);
    if !r.conditions.is_empty() {
        t.push_str(&format!(" · {}", join_conditions(&r.conditions)));
    }
    t
}

/// Opens a link to the reading's source (a group when it has no URL), titled `title`.
fn open_link(o: &mut String, r: &Reading, title: &str) {
    match &r.url {
        Some(u) => {
            let _ = write!(o, "<a href=\"{}\" class=\"chart-mark\">", esc(u));
        }
        None => o.push_str("<g class=\"chart-mark\">"),
    }
    let _ = write!(o, "<title>{}</title>", esc(title));
}

fn close_link(o: &mut String, r: &Reading) {
    o.push_str(if r.url.is_some() { "</a>" } else { "</g>" });
}

/// ` (warning)` after a flagged value.
fn flag_word(r: &Reading) -> String {
    r.flag
        .map(|f| format!(" ({})", flag_mark(f).1))
        .unwrap_or_default()
}

/// The sentence a screen reader hears: every value of the chart.
pub fn description(c: &Chart) -> String {
    match &c.body {
        Body::Bars { axis, groups, .. } => {
            let mut parts = Vec::new();
            for g in groups {
                let bars: Vec<String> = g
                    .bars
                    .iter()
                    .map(|b| match &b.reading {
                        Some(r) => format!(
                            "{} {}{}{}",
                            b.label,
                            r.text,
                            r.flag
                                .map(|f| format!(" ({})", flag_mark(f).1))
                                .unwrap_or_default(),
                            if b.best { " (best)" } else { "" }
                        ),
                        None => format!("{} no figure", b.label),
                    })
                    .collect();
                match &g.label {
                    Some(l) => parts.push(format!("{l}: {}", bars.join(", "))),
                    None => parts.push(bars.join(", ")),
                }
            }
            format!("Bar chart, {}. {}.", axis.title(), parts.join("; "))
        }
        Body::Scatter { x, y, points } => {
            let parts: Vec<String> = points
                .iter()
                .map(|p| {
                    format!(
                        "{}: {} {}{}, {} {}{}",
                        p.label,
                        x.label,
                        p.x.text,
                        flag_word(&p.x),
                        y.label,
                        p.y.text,
                        flag_word(&p.y)
                    )
                })
                .collect();
            format!(
                "Scatter chart, {} against {}. {}.",
                y.title(),
                x.title(),
                parts.join("; ")
            )
        }
    }
}

/// Writes the chart as one SVG element.
pub fn render(c: &Chart) -> String {
    let (body, height) = match &c.body {
        Body::Bars { axis, groups, .. } => bars(axis, groups),
        Body::Scatter { x, y, points } => scatter(x, y, points),
    };
    let id = esc(&c.id);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"group\" aria-labelledby=\"chart-{id}-title\" aria-describedby=\"chart-{id}-desc\" font-size=\"{FONT}\" fill=\"{INK}\">\n<title id=\"chart-{id}-title\">{}</title>\n<desc id=\"chart-{id}-desc\">{}</desc>\n{body}</svg>\n",
        esc(&c.title),
        esc(&description(c)),
        w = n(WIDTH),
        h = n(height),
    )
}

/// One grid line from (x1, y1) to (x2, y2) and its tick label at (tx, ty).
fn grid_tick(
    o: &mut String,
    (x1, y1, x2, y2): (f64, f64, f64, f64),
    (tx, ty): (f64, f64),
    anchor: &str,
    label: &str,
) {
    let _ = writeln!(
        o,
        "<line class=\"chart-grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{GRID}\" stroke-width=\"1\"/>",
        n(x1),
        n(y1),
        n(x2),
        n(y2)
    );
    let _ = writeln!(
        o,
        "<text class=\"chart-tick\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"{MUTED}\">{}</text>",
        n(tx),
        n(ty),
        esc(label)
    );
}

/// Vertical grid lines and tick labels under a horizontal value axis.
fn x_axis(o: &mut String, scale: &dyn Fn(f64) -> f64, tv: &[f64], dec: usize, top: f64, base: f64) {
    for t in tv {
        let x = scale(*t);
        let label = format_number(*t, dec);
        grid_tick(o, (x, top, x, base), (x, base + 16.0), "middle", &label);
    }
}

fn bars(axis: &Axis, groups: &[crate::shapes::charts::Group]) -> (String, f64) {
    let all: Vec<&Bar> = groups.iter().flat_map(|g| g.bars.iter()).collect();
    let label_w = all
        .iter()
        .map(|b| text_w(&b.label))
        .fold(40.0f64, f64::max)
        .min(300.0)
        + 14.0;
    let value_w = all
        .iter()
        .filter_map(|b| b.reading.as_ref().map(|r| text_w(&marked(r, b.best))))
        .fold(30.0f64, f64::max)
        + 20.0;
    let x0 = label_w;
    let x1 = WIDTH - value_w;
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for r in all.iter().filter_map(|b| b.reading.as_ref()) {
        lo = lo.min(r.lo);
        hi = hi.max(r.hi);
    }
    let (tv, dec) = ticks(lo, hi, 5);
    let dlo = tv.first().copied().unwrap_or(0.0).min(lo);
    let dhi = tv.last().copied().unwrap_or(1.0).max(hi);
    let span = if dhi > dlo { dhi - dlo } else { 1.0 };
    let scale = move |v: f64| x0 + (v - dlo) / span * (x1 - x0);
    let mut marks = String::new();
    let mut y = 6.0;
    let top = y;
    for g in groups {
        if let Some(l) = &g.label {
            let _ = writeln!(
                marks,
                "<text class=\"chart-group\" x=\"0\" y=\"{}\" font-weight=\"bold\">{}</text>",
                n(y + 14.0),
                esc(l)
            );
            y += 22.0;
        }
        for b in &g.bars {
            let _ = writeln!(
                marks,
                "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                n(x0 - 8.0),
                n(y + 15.0),
                esc(&b.label)
            );
            match &b.reading {
                Some(r) => {
                    open_link(&mut marks, r, &tip(&b.label, r));
                    let (a, z) = (scale(0f64.max(dlo)), scale(r.mid()));
                    let (left, w) = if z >= a { (a, z - a) } else { (z, a - z) };
                    let colour = PALETTE[b.series % PALETTE.len()];
                    let mut class = format!("chart-bar series-{}", b.series % PALETTE.len());
                    if b.best {
                        class.push_str(" best");
                    }
                    if let Some(f) = r.flag {
                        class.push_str(&format!(" flag-{}", f.as_str()));
                    }
                    let _ = write!(
                        marks,
                        "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"{colour}\"/>",
                        n(left),
                        n(y + 4.0),
                        n(w.max(1.0))
                    );
                    if r.hi > r.lo {
                        let (a, z, cy) = (scale(r.lo), scale(r.hi), y + 11.0);
                        let _ = write!(
                            marks,
                            "<path class=\"chart-range\" d=\"M{a} {cy}H{z}M{a} {t}V{b}M{z} {t}V{b}\" stroke=\"{INK}\" stroke-width=\"1.5\" fill=\"none\"/>",
                            a = n(a),
                            z = n(z),
                            cy = n(cy),
                            t = n(cy - 5.0),
                            b = n(cy + 5.0)
                        );
                    }
                    let end = scale(r.hi.max(r.mid())).max(a);
                    let _ = write!(
                        marks,
                        "<text class=\"chart-value{}\" x=\"{}\" y=\"{}\"{}>{}</text>",
                        r.flag
                            .map(|f| format!(" flag-{}", f.as_str()))
                            .unwrap_or_default(),
                        n(end + 6.0),
                        n(y + 15.0),
                        if b.best { " font-weight=\"bold\"" } else { "" },
                        esc(&marked(r, b.best))
                    );
                    close_link(&mut marks, r);
                    marks.push('\n');
                }
                None => {
                    let _ = writeln!(
                        marks,
                        "<text class=\"chart-none\" x=\"{}\" y=\"{}\" fill=\"{MUTED}\" font-style=\"italic\">no figure</text>",
                        n(scale(0f64.max(dlo)) + 4.0),
                        n(y + 15.0)
                    );
                }
            }
            y += 22.0;
        }
        y += 6.0;
    }
    let base = y;
    let mut o = String::new();
    x_axis(&mut o, &scale, &tv, dec, top, base);
    o.push_str(&marks);
    let _ = writeln!(
        o,
        "<line class=\"chart-axis\" x1=\"{}\" y1=\"{b}\" x2=\"{}\" y2=\"{b}\" stroke=\"{INK}\" stroke-width=\"1\"/>",
        n(x0),
        n(x1),
        b = n(base)
    );
    let _ = writeln!(
        o,
        "<text class=\"chart-axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
        n((x0 + x1) / 2.0),
        n(base + 36.0),
        esc(&axis.title())
    );
    (o, base + 46.0)
}

fn scatter(xa: &Axis, ya: &Axis, points: &[Point]) -> (String, f64) {
    let height = 420.0;
    let (ml, mr, mt, mb) = (72.0, 20.0, 14.0, 56.0);
    let (px0, px1, py0, py1) = (ml, WIDTH - mr, height - mb, mt);
    let bounds = |f: &dyn Fn(&Point) -> &Reading| {
        points.iter().fold((0.0f64, 0.0f64), |(lo, hi), p| {
            (lo.min(f(p).lo), hi.max(f(p).hi))
        })
    };
    let (xlo, xhi) = bounds(&|p| &p.x);
    let (ylo, yhi) = bounds(&|p| &p.y);
    let (xt, xd) = ticks(xlo, xhi, 6);
    let (yt, yd) = ticks(ylo, yhi, 5);
    let dom = |t: &[f64], lo: f64, hi: f64| {
        let a = t.first().copied().unwrap_or(0.0).min(lo);
        let b = t.last().copied().unwrap_or(1.0).max(hi);
        (a, if b > a { b } else { a + 1.0 })
    };
    let (xa0, xa1) = dom(&xt, xlo, xhi);
    let (ya0, ya1) = dom(&yt, ylo, yhi);
    let sx = move |v: f64| px0 + (v - xa0) / (xa1 - xa0) * (px1 - px0);
    let sy = move |v: f64| py0 - (v - ya0) / (ya1 - ya0) * (py0 - py1);
    let mut o = String::new();
    x_axis(&mut o, &sx, &xt, xd, py1, py0);
    for t in &yt {
        let y = sy(*t);
        let label = format_number(*t, yd);
        grid_tick(
            &mut o,
            (px0, y, px1, y),
            (px0 - 6.0, y + 4.0),
            "end",
            &label,
        );
    }
    let _ = writeln!(
        o,
        "<path class=\"chart-axis\" d=\"M{x0} {y1}V{y0}H{x1}\" stroke=\"{INK}\" stroke-width=\"1\" fill=\"none\"/>",
        x0 = n(px0),
        y0 = n(py0),
        y1 = n(py1),
        x1 = n(px1)
    );
    let _ = writeln!(
        o,
        "<text class=\"chart-axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
        n((px0 + px1) / 2.0),
        n(py0 + 36.0),
        esc(&xa.title())
    );
    let _ = writeln!(
        o,
        "<text class=\"chart-axis-title\" x=\"0\" y=\"0\" transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>",
        n((py0 + py1) / 2.0),
        esc(&ya.title())
    );
    // Labels right of their point (left when they would leave the plot), pushed apart
    // vertically where two would overlap.
    let mut labels: Vec<(f64, f64, bool, String)> = points
        .iter()
        .map(|p| {
            let (x, y) = (sx(p.x.mid()), sy(p.y.mid()));
            let mut text = p.label.clone();
            for f in [p.x.flag, p.y.flag].into_iter().flatten() {
                text.push(' ');
                text.push_str(flag_mark(f).0);
            }
            let right = x + 9.0 + text_w(&text) <= px1;
            (x, y + 4.0, right, text)
        })
        .collect();
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.sort_by(|a, b| labels[*a].1.total_cmp(&labels[*b].1));
    for i in 1..order.len() {
        let (prev, cur) = (order[i - 1], order[i]);
        let span = |l: &(f64, f64, bool, String)| {
            if l.2 {
                (l.0 + 9.0, l.0 + 9.0 + text_w(&l.3))
            } else {
                (l.0 - 9.0 - text_w(&l.3), l.0 - 9.0)
            }
        };
        let (a, b) = (span(&labels[prev]), span(&labels[cur]));
        if a.0 < b.1 && b.0 < a.1 && labels[cur].1 - labels[prev].1 < 15.0 {
            labels[cur].1 = labels[prev].1 + 15.0;
        }
    }
    for (p, (lx, ly, right, text)) in points.iter().zip(&labels) {
        let (x, y) = (sx(p.x.mid()), sy(p.y.mid()));
        let title = format!(
            "{}: {} {} · {} {}",
            p.label,
            xa.label,
            tip("", &p.x).trim_start_matches(": "),
            ya.label,
            tip("", &p.y).trim_start_matches(": ")
        );
        open_link(&mut o, &p.x, &title);
        if p.x.hi > p.x.lo {
            let _ = write!(
                o,
                "<path class=\"chart-range\" d=\"M{a} {y}H{b}M{a} {t}V{u}M{b} {t}V{u}\" stroke=\"{INK}\" stroke-width=\"1.2\" fill=\"none\"/>",
                a = n(sx(p.x.lo)),
                b = n(sx(p.x.hi)),
                y = n(y),
                t = n(y - 4.0),
                u = n(y + 4.0)
            );
        }
        if p.y.hi > p.y.lo {
            let _ = write!(
                o,
                "<path class=\"chart-range\" d=\"M{x} {a}V{b}M{l} {a}H{r}M{l} {b}H{r}\" stroke=\"{INK}\" stroke-width=\"1.2\" fill=\"none\"/>",
                a = n(sy(p.y.lo)),
                b = n(sy(p.y.hi)),
                x = n(x),
                l = n(x - 4.0),
                r = n(x + 4.0)
            );
        }
        let _ = write!(
            o,
            "<circle class=\"chart-point series-0\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\"/>",
            n(x),
            n(y),
            PALETTE[0]
        );
        let _ = write!(
            o,
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
            n(if *right { lx + 9.0 } else { lx - 9.0 }),
            n(*ly),
            if *right { "start" } else { "end" },
            esc(text)
        );
        close_link(&mut o, &p.x);
        o.push('\n');
    }
    (o, height)
}

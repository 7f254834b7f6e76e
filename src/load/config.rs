//! Site settings from `sitegen.toml`: title, base URL, author, limits, the PDF gate.

use crate::diagnostics::{Diagnostic, Span};
use crate::figures::units::{UnitDef, UnitRegistry};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The settings of one site; every key is optional and has a default.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The site's name, in titles, the feed and the PDF cover.
    pub title: String,
    /// A one-paragraph description for the home page and the feed.
    pub description: String,
    /// Absolute URL the site is published at, used for canonical URLs, the sitemap and feed.
    pub base_url: String,
    /// The author named in feeds, meta tags and PDF metadata.
    pub author: String,
    /// The `lang` attribute of every page.
    pub language: String,
    /// Citation checking settings.
    pub cite: CiteConfig,
    /// Receipt freshness settings.
    pub receipts: ReceiptsConfig,
    /// Flowchart drawing settings.
    pub flowchart: FlowchartConfig,
    /// The site's own units: aliases (`"tokens/sec" = "tok/s"`), amounts of known
    /// units (`furlong = { equals = "201.168 m" }`) and new dimensions
    /// (`lux = { dimension = "illuminance" }`).
    pub units: BTreeMap<String, UnitSetting>,
    /// Where each `[units]` key is written, for messages.
    #[serde(skip)]
    pub unit_spans: BTreeMap<String, Span>,
    /// The e-mail form shown instead of a link on a `pdf: true` article.
    pub gate: Option<GateConfig>,
    /// Guards against runaway input.
    pub limits: LimitsConfig,
    /// How the articles' Markdown is turned into HTML.
    pub markdown: MarkdownConfig,
}

/// `[markdown]`: what raw HTML in articles may do.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// `sanitize` (the default) or `trusted` (raw HTML published as written).
    pub raw_html: RawHtml,
}

/// What happens to raw HTML written in an article.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Harmless markup kept, scripts, frames, event handlers and unsafe URLs dropped.
    #[default]
    Sanitize,
    /// Published as written: only for sites whose every author is trusted.
    Trusted,
}

/// One entry of `[units]`: a string is an alias, a table defines a unit.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(
    untagged,
    expecting = "each [units] entry is a unit name (an alias) or a table with `equals = \"N UNIT\"` or `dimension = \"NAME\"`"
)]
pub enum UnitSetting {
    /// `"tokens/sec" = "tok/s"`: another name for a known unit.
    Alias(String),
    /// `furlong = { equals = "201.168 m" }` or `lux = { dimension = "illuminance" }`.
    Define(UnitDefinition),
}

/// A unit defined in `[units]`: exactly one of `equals` and `dimension`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnitDefinition {
    /// An amount of a known unit: `"201.168 m"`.
    pub equals: Option<String>,
    /// The name of a new dimension this unit is the measure of.
    pub dimension: Option<String>,
}

/// `[cite]`: how citations agree with the dataset.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CiteConfig {
    /// Relative tolerance for literals marked `~`/`≈`.
    pub approx_tolerance: f64,
    /// The most, relative to the value, that rounding to a literal's decimals may move
    /// it: with 0.05, "0.27 TB/s" agrees with 273 GB/s and "0.3 TB/s" does not.
    pub max_rounding: f64,
}

impl CiteConfig {
    /// The tolerances the agreement rule applies.
    pub fn tolerance(&self) -> crate::figures::literal::Tolerance {
        crate::figures::literal::Tolerance {
            max_rounding: self.max_rounding,
            approx: self.approx_tolerance,
        }
    }
}

/// `[receipts]`: when a receipt is stale.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReceiptsConfig {
    /// A receipt reported longer ago than this is stale.
    pub max_age_days: i64,
}

/// `[flowchart]`: decision-tree drawing limits.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FlowchartConfig {
    /// No drawing is wider than this many columns.
    pub max_width: usize,
}

/// `[gate]`: the lead-magnet form.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateConfig {
    /// Where the form posts, e.g. a newsletter provider's endpoint.
    pub action: String,
    /// The name of the e-mail input.
    #[serde(default = "default_email_field")]
    pub email_field: String,
    /// The submit button's text.
    #[serde(default = "default_button")]
    pub button: String,
    /// A sentence above the form.
    #[serde(default = "default_pitch")]
    pub pitch: String,
    /// What happens to the address, said beside the field.
    #[serde(default = "default_privacy")]
    pub privacy: String,
    /// The privacy policy the form links to, when the site has one.
    #[serde(default)]
    pub privacy_url: Option<String>,
    /// The name of the hidden field that people leave empty and bots fill in; the form
    /// service should drop submissions that have it.
    #[serde(default = "default_honeypot")]
    pub honeypot: String,
    /// The name of a hidden field carrying the thank-you page's URL, for form services
    /// that take the redirect from the form (None: set the redirect in the service).
    #[serde(default)]
    pub redirect_field: Option<String>,
}

/// `[limits]`: input sizes sitegen refuses.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// An article or data file larger than this many bytes is an error.
    pub max_file_bytes: u64,
}

fn default_email_field() -> String {
    "email".into()
}
fn default_button() -> String {
    "Send me the PDF".into()
}
fn default_privacy() -> String {
    "We use your address to send you the PDF.".into()
}
fn default_honeypot() -> String {
    "website".into()
}
fn default_pitch() -> String {
    "Get this guide as a PDF: leave your e-mail address and we send it to you.".into()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "sitegen site".into(),
            description: String::new(),
            base_url: "http://localhost:1111".into(),
            author: String::new(),
            language: "en".into(),
            cite: CiteConfig::default(),
            receipts: ReceiptsConfig::default(),
            flowchart: FlowchartConfig::default(),
            units: BTreeMap::new(),
            unit_spans: BTreeMap::new(),
            gate: None,
            limits: LimitsConfig::default(),
            markdown: MarkdownConfig::default(),
        }
    }
}

impl Default for CiteConfig {
    fn default() -> Self {
        CiteConfig {
            approx_tolerance: 0.05,
            max_rounding: 0.05,
        }
    }
}

impl Default for ReceiptsConfig {
    fn default() -> Self {
        ReceiptsConfig { max_age_days: 180 }
    }
}

impl Default for FlowchartConfig {
    fn default() -> Self {
        FlowchartConfig { max_width: 100 }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_file_bytes: 4 * 1024 * 1024,
        }
    }
}

/// The name of the settings file at the site root.
pub const CONFIG_FILE: &str = "sitegen.toml";

impl Config {
    /// Reads `sitegen.toml` under `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Config::parse(&text),
                Err(_) => Err(Diagnostic::error(
                    "config",
                    Span::file(CONFIG_FILE),
                    "sitegen.toml is not valid UTF-8",
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Diagnostic::error(
                "config",
                Span::file(CONFIG_FILE),
                format!("cannot read sitegen.toml: {e}"),
            )),
        }
    }

    /// Parses the text of `sitegen.toml`, checking every value.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |r| r.start);
            Diagnostic::error(
                "config",
                Span::at_offset(CONFIG_FILE, text, offset),
                e.message().trim().to_string(),
            )
        })?;
        config.validate(text)
    }

    fn validate(mut self, text: &str) -> Result<Config, Diagnostic> {
        let at = |key: &str| {
            let offset = text.find(key).unwrap_or(0);
            Span::at_offset(CONFIG_FILE, text, offset)
        };
        if !(0.0..1.0).contains(&self.cite.approx_tolerance) {
            return Err(Diagnostic::error(
                "config",
                at("approx_tolerance"),
                "cite.approx_tolerance must be at least 0 and below 1 (0.05 is 5%)",
            ));
        }
        if !(0.0..1.0).contains(&self.cite.max_rounding) {
            return Err(Diagnostic::error(
                "config",
                at("max_rounding"),
                "cite.max_rounding must be at least 0 and below 1 (0.05 is 5%)",
            ));
        }
        if self.flowchart.max_width < 20 {
            return Err(Diagnostic::error(
                "config",
                at("max_width"),
                "flowchart.max_width must be at least 20 columns",
            ));
        }
        if self.receipts.max_age_days < 0 {
            return Err(Diagnostic::error(
                "config",
                at("max_age_days"),
                "receipts.max_age_days must not be negative",
            ));
        }
        for name in self.units.keys() {
            let offset = key_offset(text, "units", name);
            self.unit_spans
                .insert(name.clone(), Span::at_offset(CONFIG_FILE, text, offset));
        }
        while self.base_url.ends_with('/') {
            self.base_url.pop();
        }
        Ok(self)
    }
}

/// Where `key` of the `[table]` starts in the text of sitegen.toml: the first line
/// of the table that begins with the key, bare or quoted; else the table's header.
fn key_offset(text: &str, table: &str, key: &str) -> usize {
    let header = format!("[{table}]");
    let mut in_table = false;
    let mut header_at = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('[') {
            in_table = trimmed.starts_with(&header);
            if in_table {
                header_at = offset + indent;
            }
        } else if in_table {
            for form in [format!("\"{key}\""), format!("'{key}'"), key.to_string()] {
                if let Some(rest) = trimmed.strip_prefix(&form) {
                    if rest.trim_start().starts_with('=') {
                        return offset + indent;
                    }
                }
            }
        }
        offset += line.len();
    }
    header_at
}

impl Config {
    /// The unit registry of this site: the built-in units and `[units]`, in the
    /// order written (an alias may name a unit defined above it). One
    /// `error[config]` per entry that does not work; the others still count.
    pub fn unit_registry(&self) -> (UnitRegistry, Vec<Diagnostic>) {
        let mut reg = UnitRegistry::new();
        let mut diags = Vec::new();
        let mut entries: Vec<(&String, &UnitSetting)> = self.units.iter().collect();
        let line = |name: &str| {
            self.unit_spans
                .get(name)
                .map_or((0, 0), |s| (s.line, s.col))
        };
        entries.sort_by_key(|(name, _)| line(name));
        for (name, setting) in entries {
            let span = self
                .unit_spans
                .get(name)
                .cloned()
                .unwrap_or_else(|| Span::file(CONFIG_FILE));
            let def = match setting {
                UnitSetting::Alias(target) => Ok(UnitDef::Alias(target.clone())),
                UnitSetting::Define(d) => match (&d.equals, &d.dimension) {
                    (Some(e), None) => Ok(UnitDef::Equals(e.clone())),
                    (None, Some(dim)) => Ok(UnitDef::Dimension(dim.clone())),
                    _ => Err(format!(
                        "unit `{name}` needs exactly one of `equals = \"N UNIT\"` and `dimension = \"NAME\"`"
                    )),
                },
            };
            if let Err(msg) = def.and_then(|def| reg.define(name, &def)) {
                diags.push(Diagnostic::error("config", span, format!("[units]: {msg}")));
            }
        }
        (reg, diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let err = Config::parse("title = \"x\"\ntitel = \"y\"\n").unwrap_err();
        assert_eq!(err.code, "config");
        assert_eq!(err.span.line, 2);
        assert!(err.message.contains("titel"), "{}", err.message);
    }

    #[test]
    fn defaults_fill_what_is_missing() {
        let c = Config::parse("base_url = \"https://x.org/\"\n[gate]\naction = \"https://f\"\n")
            .unwrap();
        assert_eq!(c.base_url, "https://x.org");
        assert_eq!(c.cite.approx_tolerance, 0.05);
        assert_eq!(c.cite.max_rounding, 0.05);
        assert_eq!(c.flowchart.max_width, 100);
        let gate = c.gate.unwrap();
        assert_eq!(gate.email_field, "email");
        assert_eq!(gate.honeypot, "website");
        assert_eq!(gate.privacy_url, None);
    }

    #[test]
    fn units_are_aliases_amounts_and_dimensions() {
        let text = "title = \"x\"\n[units]\n\"tokens/sec\" = \"tok/s\"\nfurlong = { equals = \"201.168 m\" }\nlx = { dimension = \"illuminance\" }\nklx = { equals = \"1000 lx\" }\n";
        let c = Config::parse(text).unwrap();
        let (reg, diags) = c.unit_registry();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(reg.get("tokens/sec"), reg.get("tok/s"));
        assert_eq!(reg.get("furlong").unwrap().factor, 201.168);
        assert_eq!(reg.get("klx").unwrap().dim, reg.get("lx").unwrap().dim);
    }

    #[test]
    fn each_bad_unit_is_one_error_at_its_line() {
        let text = "[units]\nok = \"km\"\nct = { equals = \"0.01 EUR\" }\nfoo = \"furlongs\"\nboth = { equals = \"1 m\", dimension = \"d\" }\n";
        let c = Config::parse(text).unwrap();
        let (reg, diags) = c.unit_registry();
        assert!(reg.get("ok").is_some());
        let lines: Vec<(usize, usize)> = diags.iter().map(|d| (d.span.line, d.span.col)).collect();
        assert_eq!(lines, vec![(3, 1), (4, 1), (5, 1)], "{diags:?}");
        assert!(
            diags[0].message.contains("never converted"),
            "{}",
            diags[0].message
        );
        assert!(diags[1].message.contains("furlongs"));
        assert!(diags[2].message.contains("exactly one"));
        let err = Config::parse("[units]\nx = { factor = 2 }\n").unwrap_err();
        assert_eq!(err.code, "config");
    }
}

//! Site settings from `sitegen.toml`: title, base URL, author, limits, the PDF gate.

use crate::diagnostics::{Diagnostic, Span};
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
    /// Extra unit names: alias → unit the registry knows (`"tokens/sec" = "tok/s"`).
    pub units: BTreeMap<String, String>,
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

/// `[cite]`: how citations agree with the dataset.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CiteConfig {
    /// Relative tolerance for literals marked `~`/`≈`.
    pub approx_tolerance: f64,
}

/// `[receipts]`: when a receipt is stale.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReceiptsConfig {
    /// A receipt verified longer ago than this is stale.
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
        while self.base_url.ends_with('/') {
            self.base_url.pop();
        }
        Ok(self)
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
        assert_eq!(c.flowchart.max_width, 100);
        assert_eq!(c.gate.unwrap().email_field, "email");
    }
}

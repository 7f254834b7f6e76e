//! sitegen: a static-site generator for a buyer's guide whose every figure is cited from
//! one dataset. Data flows one way: load → check → render → write.
//!
//! - [`content`], [`dataset`], [`config`]: loading the site's files.
//! - [`markdown`], [`cite`], [`check`]: checking them into one [`site::Site`] model.
//! - [`html`], [`pdf`], [`flowchart`], [`tables`]: renderers handed that model.
//! - [`output`], [`serve`]: writing and previewing.

// Diagnostics are values carried on the error path; boxing each one would add noise
// to every signature for no measurable gain on a path taken once per problem.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cite;
pub mod cites;
pub mod commands;
pub mod config;
pub mod content;
pub mod dataset;
pub mod date;
pub mod diagnostics;
pub mod expr;
pub mod flowchart;
pub mod gated;
pub mod highlight;
pub mod html;
pub mod literal;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod tables;
pub mod units;
pub mod yaml;

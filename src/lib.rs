//! sitegen: a static-site generator for a buyer's guide whose every figure is cited from
//! one dataset. Data flows one way, and each folder of `src/` is one stage of it:
//!
//! - [`figures`]: what a figure says: units, literals, citation expressions (no I/O).
//! - [`load`]: the site's files read into values that keep their places.
//! - [`shapes`]: tables and flowcharts built from the dataset, shared by HTML and PDF.
//! - [`check`]: one pass over each page, giving the one checked [`check::site::Site`].
//! - [`render`]: the HTML pages and the gated PDF, drawn from that `Site`.
//! - [`publish`]: writing the rendered site atomically.
//! - [`cli`] and [`serve`]: the commands, and the live preview, on top.
//! - [`lsp`]: the language server for editors, beside `serve`, reusing its engine.
//!
//! A lower stage never imports a higher one.

// Diagnostics are values carried on the error path; boxing each one would add noise
// to every signature for no measurable gain on a path taken once per problem.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod cli;
pub mod diagnostics;
pub mod figures;
pub mod load;
pub mod lsp;
pub mod publish;
pub mod render;
pub mod serve;
pub mod shapes;

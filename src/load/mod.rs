//! Reading the site's files into values that keep their places: `sitegen.toml`
//! ([`config`]), the articles ([`content`]), the dataset ([`dataset`], its charts in [`charts`], read through
//! [`yaml`] so every node keeps its line and column), the decision trees
//! ([`decisions`]), dates ([`date`]) and the site's own templates ([`templates`]), every
//! folder walked by [`walk`] so that nothing is skipped silently.
//!
//! Takes a site root; hands on `Config`, `Article`s, the `Dataset` and template sources,
//! with a diagnostic for every file that cannot be read or parsed. Nothing here
//! checks one file against another: that is `check`'s job.

pub mod charts;
pub mod config;
pub mod content;
pub mod dataset;
pub mod date;
pub mod decisions;
pub mod templates;
pub mod walk;
pub mod yaml;

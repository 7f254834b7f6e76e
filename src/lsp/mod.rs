//! `sitegen lsp`: a Language Server over stdio for the articles (Markdown) and the dataset
//! (YAML), built on rust-analyzer's `lsp-server` (a synchronous core) and `lsp-types`.
//!
//! Takes the editor's messages and its unsaved text; hands on diagnostics, completions,
//! hovers, definitions and references. It checks nothing itself: the serve engine
//! ([`crate::serve::engine`], in check-only mode) re-checks each edited article with the
//! one checker of [`crate::check`], and the answers are read from its [`crate::check::site::Site`].
//!
//! - [`server`]: the handshake, the open documents, the loop.
//! - [`features`]: completion, hover, definition, references.
//! - [`text`]: LSP positions and edits.
//! - [`yaml_keys`]: where each dataset key is written in its YAML file.
//! - [`actions`]: code actions, apart: the quick fixes the check's diagnostics carry.

pub mod actions;
pub mod features;
pub mod server;
pub mod text;
pub mod yaml_keys;

pub use server::run;

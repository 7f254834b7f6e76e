//! The renderers: the checked `Site` as HTML pages ([`html`], with [`highlight`] for
//! code) and as the gated PDF ([`pdf`]).
//!
//! Takes the one checked `Site` (and the template sources `load` read); hands on output
//! files in memory (`OutputFile`s, PDF bytes) for `publish` and `serve` to write or
//! serve. Renderers read no site file of their own and never write.

pub mod highlight;
pub mod html;
pub mod pdf;

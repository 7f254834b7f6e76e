//! The renderers: the checked `Site` as HTML pages ([`html`], with [`highlight`] for
//! code), as the gated PDF ([`pdf`]) and as social cards ([`cards`]).
//!
//! Takes the one checked `Site` (and the template sources `load` read); hands on output
//! files in memory (`OutputFile`s, PDF bytes) for `publish` and `serve` to write or
//! serve. Renderers read no site file of their own and never write, but for one cache:
//! drawn cards are kept under the system's temporary folder, keyed by their content.

pub mod cards;
pub mod highlight;
pub mod html;
pub mod lists;
pub mod pdf;

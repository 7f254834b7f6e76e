//! What a figure says, with no I/O: units and quantities ([`units`]), the literals an
//! author writes in prose (`273 GB/s`, `~$4k`) and whether one agrees with a value
//! ([`literal`]), and the citation expressions after `cite:` ([`expr`]).
//!
//! Takes strings and numbers; hands on quantities, parsed literals and verdicts to
//! `load` (the dataset's units) and `check` (every citation).

pub mod expr;
pub mod literal;
pub mod units;

//! Models and layouts built from the dataset, shared by the HTML and the PDF so both
//! print the same thing: data tables and the disputes list ([`tables`]), decision trees
//! drawn as flowcharts or outlines ([`flowchart`]), bar and scatter charts written once
//! as SVG ([`charts`]).
//!
//! Takes the loaded `Dataset` and its decision trees; hands on renderer-neutral rows,
//! cells and drawings to `check` (which lays each one out once) and `render`.

pub mod charts;
pub mod evidence;
pub mod flowchart;
pub mod tables;

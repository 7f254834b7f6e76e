//! Chart tests: models built from a small dataset, golden SVGs, every error at its line.

//! `sitegen lsp`.

use super::ExitCode;

/// `sitegen lsp`: the language server on stdin and stdout, until the editor says `exit`.
/// The site is the client's workspace folder (or the nearest folder above it with
/// sitegen.toml), not the working directory; stdout carries nothing but the protocol.
pub fn lsp() -> ExitCode {
    crate::lsp::run()
}

//! The server loop: the handshake, the open documents, and each message answered from the
//! serve engine's checked site. Edits are batched: every message already waiting is read
//! before the edited articles are checked again, so a burst of keystrokes is one check.

use super::features::{self, Ctx};
use super::text::{self, Encoding};
use crate::diagnostics::{Diagnostic, Level};
use crate::serve::engine::{Changes, Engine};
use crossbeam_channel::{select, Receiver};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{Completion, GotoDefinition, HoverRequest, References, Request as _};
use lsp_types::{
    CompletionOptions, CompletionResponse, DiagnosticSeverity, GotoDefinitionResponse, Hover,
    HoverContents, HoverProviderCapability, InitializeParams, NumberOrString, OneOf,
    PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// One document the editor has open.
struct Doc {
    /// Its path relative to the site root; None outside the site.
    rel: Option<String>,
    text: String,
    version: i32,
}

/// Everything the server keeps.
struct State {
    root: PathBuf,
    enc: Encoding,
    engine: Engine,
    docs: HashMap<String, Doc>,
    /// Articles edited since the last check.
    dirty: BTreeSet<String>,
    /// Changes on disk since the last check (saves, other programs).
    disk: Changes,
    /// What was last published per URI, to publish again only what changed.
    published: HashMap<String, Vec<lsp_types::Diagnostic>>,
    /// Whether the site's folders are watched (else a save is the only news of the disk).
    watching: bool,
}

/// The site root for a workspace folder: the folder, or the nearest one above it, that
/// holds sitegen.toml; else the first that holds `content/` or `data/`; else the folder.
pub fn site_root(folder: &Path) -> PathBuf {
    let has = |d: &Path, name: &str| d.join(name).exists();
    if let Some(d) = folder.ancestors().find(|d| has(d, "sitegen.toml")) {
        return d.to_path_buf();
    }
    if let Some(d) = folder
        .ancestors()
        .find(|d| has(d, "content") || has(d, "data"))
    {
        return d.to_path_buf();
    }
    folder.to_path_buf()
}

fn uri_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The folder the client works in: the first workspace folder, else rootUri, else rootPath.
#[allow(deprecated)] // rootUri and rootPath: older clients (Neovim 0.7) send only those.
fn client_folder(p: &InitializeParams) -> Option<PathBuf> {
    p.workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| uri_path(&f.uri))
        .or_else(|| p.root_uri.as_ref().and_then(uri_path))
        .or_else(|| p.root_path.as_ref().map(PathBuf::from))
}

fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // A file not on disk yet: its folder's real path and its name.
    match (
        p.parent().and_then(|d| d.canonicalize().ok()),
        p.file_name(),
    ) {
        (Some(d), Some(n)) => d.join(n),
        _ => p.to_path_buf(),
    }
}

fn log(msg: &str) {
    // stderr only: stdout carries nothing but the protocol.
    eprintln!("sitegen lsp: {msg}");
}

/// Runs the server over stdin and stdout until `exit`; the exit code is 0 after a
/// `shutdown`, 1 otherwise (as the protocol asks).
pub fn run() -> i32 {
    let (conn, io) = Connection::stdio();
    let code = match serve(&conn) {
        Ok(code) => code,
        Err(e) => {
            log(&e);
            1
        }
    };
    drop(conn);
    if let Err(e) = io.join() {
        log(&format!("closing stdio: {e}"));
    }
    code
}

/// The handshake, then the loop, on any connection (stdio, or memory in tests).
pub fn serve(conn: &Connection) -> Result<i32, String> {
    let (id, params) = conn.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_else(|e| {
        log(&format!(
            "initialize params not understood ({e}); using defaults"
        ));
        InitializeParams::default()
    });
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    let enc = if utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let folder = client_folder(&params)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let root = canonical(&site_root(&folder));
    let caps = ServerCapabilities {
        position_encoding: Some(if utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), ".".into(), "\"".into(), "{".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": caps,
        "serverInfo": {"name": "sitegen", "version": env!("CARGO_PKG_VERSION")},
    });
    conn.initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    log(&format!("site root {}", root.display()));
    // Drafts are checked too: an author writes them.
    let engine = Engine::checking(&root, true);
    let (tx, changes) = crossbeam_channel::unbounded::<Changes>();
    let watching = match crate::serve::watch::Watcher::new(&root) {
        Ok(mut w) => {
            let spawned = std::thread::Builder::new()
                .name("sitegen-lsp-watch".into())
                .spawn(move || {
                    while let Some(ch) = w.next_batch() {
                        if tx.send(ch).is_err() {
                            break;
                        }
                    }
                });
            spawned.is_ok()
        }
        Err(e) => {
            log(&format!(
                "cannot watch {} ({e}); saves are read instead",
                root.display()
            ));
            false
        }
    };
    let mut st = State {
        root,
        enc,
        engine,
        docs: HashMap::new(),
        dirty: BTreeSet::new(),
        disk: Changes::default(),
        published: HashMap::new(),
        watching,
    };
    main_loop(conn, &changes, &mut st)
}

fn main_loop(
    conn: &Connection,
    changes: &Receiver<Changes>,
    st: &mut State,
) -> Result<i32, String> {
    let mut shut_down = false;
    loop {
        select! {
            recv(conn.receiver) -> msg => {
                let Ok(msg) = msg else {
                    // The client went away without `exit`.
                    return Ok(1);
                };
                match msg {
                    Message::Request(req) => {
                        if req.method == "shutdown" {
                            shut_down = true;
                            send(conn, Response::new_ok(req.id, ()).into());
                            continue;
                        }
                        if shut_down {
                            send(conn, Response::new_err(req.id, ErrorCode::InvalidRequest as i32, "the server is shutting down".into()).into());
                            continue;
                        }
                        // Answer from the text the client has now.
                        flush(conn, st);
                        let id = req.id.clone();
                        let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            handle_request(st, req)
                        }))
                        .unwrap_or_else(|_| {
                            log("a bug while answering (above); the server goes on");
                            err(id, ErrorCode::InternalError, "sitegen hit a bug answering this request".into())
                        });
                        send(conn, resp.into());
                    }
                    Message::Notification(n) => {
                        if n.method == "exit" {
                            return Ok(if shut_down { 0 } else { 1 });
                        }
                        handle_notification(conn, st, n);
                    }
                    Message::Response(_) => {}
                }
            }
            recv(changes) -> ch => {
                if let Ok(ch) = ch {
                    merge(&mut st.disk, ch);
                }
            }
        }
        // Check once nothing more is waiting.
        if conn.receiver.is_empty() && changes.is_empty() {
            flush(conn, st);
        }
    }
}

fn merge(into: &mut Changes, ch: Changes) {
    into.full |= ch.full;
    into.articles.extend(ch.articles);
    into.data |= ch.data;
    into.templates |= ch.templates;
    into.assets.extend(ch.assets);
    into.gone.extend(ch.gone);
}

fn send(conn: &Connection, msg: Message) {
    if conn.sender.send(msg).is_err() {
        log("the client's channel is closed");
    }
}

/// The site-relative path of a document URI, when it lies in the site.
fn rel_of(root: &Path, uri: &Uri) -> Option<String> {
    let p = canonical(&uri_path(uri)?);
    let rel = p.strip_prefix(root).ok()?;
    Some(crate::diagnostics::rel_path(Path::new(""), rel))
}

fn is_article(rel: &str) -> bool {
    rel.starts_with("content/") && rel.ends_with(".md")
}

fn is_data(rel: &str) -> bool {
    rel.starts_with("data/") && (rel.ends_with(".yaml") || rel.ends_with(".yml"))
}

fn handle_notification(conn: &Connection, st: &mut State, n: Notification) {
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
            else {
                return;
            };
            let uri = p.text_document.uri;
            let rel = rel_of(&st.root, &uri);
            if let Some(r) = rel.as_ref().filter(|r| is_article(r)) {
                st.engine.set_unsaved(r, Some(p.text_document.text.clone()));
                st.dirty.insert(r.clone());
            } else if let Some(r) = rel.as_ref().filter(|r| is_data(r)) {
                st.engine.set_unsaved(r, Some(p.text_document.text.clone()));
                // Opened as saved: nothing to check again.
                let on_disk = std::fs::read_to_string(st.root.join(r)).ok();
                st.disk.data |= on_disk.as_deref() != Some(p.text_document.text.as_str());
            }
            st.docs.insert(
                uri.as_str().to_string(),
                Doc {
                    rel,
                    text: p.text_document.text,
                    version: p.text_document.version,
                },
            );
            // Published at the next flush, even when nothing else changed.
            st.published.remove(uri.as_str());
        }
        DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
            else {
                return;
            };
            let Some(doc) = st.docs.get_mut(p.text_document.uri.as_str()) else {
                return;
            };
            for ch in p.content_changes {
                text::apply_change(&mut doc.text, ch, st.enc);
            }
            doc.version = p.text_document.version;
            if let Some(r) = doc.rel.as_ref().filter(|r| is_article(r)) {
                st.engine.set_unsaved(r, Some(doc.text.clone()));
                st.dirty.insert(r.clone());
            } else if let Some(r) = doc.rel.as_ref().filter(|r| is_data(r)) {
                st.engine.set_unsaved(r, Some(doc.text.clone()));
                st.disk.data = true;
            }
            // Answered at the next flush whatever it finds: the edit asked for it.
            st.published.remove(p.text_document.uri.as_str());
        }
        DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
            else {
                return;
            };
            let uri = p.text_document.uri;
            if let Some(doc) = st.docs.remove(uri.as_str()) {
                match doc.rel {
                    // Back to the file on disk.
                    Some(r) if is_article(&r) => {
                        st.engine.set_unsaved(&r, None);
                        st.dirty.insert(r);
                    }
                    Some(r) if is_data(&r) => {
                        st.engine.set_unsaved(&r, None);
                        st.disk.data = true;
                    }
                    _ => {}
                }
            }
            st.published.remove(uri.as_str());
            publish(conn, &uri, None, Vec::new());
        }
        DidSaveTextDocument::METHOD if !st.watching => {
            let Ok(p) = serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
            else {
                return;
            };
            if let Some(rel) = rel_of(&st.root, &p.text_document.uri) {
                let mut reset = Vec::new();
                crate::serve::watch::classify_path(
                    &st.root,
                    &st.root.join(&rel),
                    &mut st.disk,
                    &mut reset,
                );
            }
        }
        _ => {}
    }
}

/// Checks what changed since the last time, then publishes the open documents' problems.
fn flush(conn: &Connection, st: &mut State) {
    if st.dirty.is_empty()
        && st.disk.is_empty()
        && st.docs.keys().all(|u| st.published.contains_key(u))
    {
        return;
    }
    let mut ch = std::mem::take(&mut st.disk);
    ch.articles.extend(std::mem::take(&mut st.dirty));
    if !ch.is_empty() {
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            st.engine.apply(&ch);
        }));
        if applied.is_err() {
            // The kept state may be half-updated: the next check starts over.
            log("a bug while checking (above); the next edit checks everything");
            st.disk.full = true;
        }
    }
    let diags = st.engine.diagnostics().sorted();
    let mut by_path: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in &diags {
        by_path.entry(d.span.path.as_str()).or_default().push(d);
    }
    for (uri, doc) in &st.docs {
        let mine = doc
            .rel
            .as_deref()
            .and_then(|r| by_path.get(r))
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        let list: Vec<lsp_types::Diagnostic> =
            mine.iter().map(|d| to_lsp(d, &doc.text, st.enc)).collect();
        if st.published.get(uri) == Some(&list) {
            continue;
        }
        let Ok(u) = Uri::from_str(uri) else {
            continue;
        };
        publish(conn, &u, Some(doc.version), list.clone());
        st.published.insert(uri.clone(), list);
    }
}

fn publish(
    conn: &Connection,
    uri: &Uri,
    version: Option<i32>,
    diagnostics: Vec<lsp_types::Diagnostic>,
) {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version,
    };
    send(
        conn,
        Notification::new(PublishDiagnostics::METHOD.to_string(), params).into(),
    );
}

/// A problem as the editor shows it: the same code and message as `sitegen check`, its
/// notes below, its range on the offending text (to the end of the word when the check
/// gives no end).
pub fn to_lsp(d: &Diagnostic, text: &str, enc: Encoding) -> lsp_types::Diagnostic {
    let start = text::offset_of_line_col(text, d.span.line, d.span.col);
    let end = match d.end {
        Some((l, c)) => text::offset_of_line_col(text, l, c).max(start),
        None => {
            let rest = &text[start..];
            let line_end = rest.find('\n').unwrap_or(rest.len());
            // A link `[…](…)` as a whole, else the word.
            let word = if rest.starts_with('[') {
                rest[..line_end].find(')').map_or(line_end, |i| i + 1)
            } else {
                rest[..line_end]
                    .find(char::is_whitespace)
                    .unwrap_or(line_end)
            };
            start + word
        }
    };
    let mut message = d.message.clone();
    for n in &d.notes {
        message.push('\n');
        message.push_str(n);
    }
    lsp_types::Diagnostic {
        range: text::range_of(text, start, end, enc),
        severity: Some(match d.level {
            Level::Error => DiagnosticSeverity::ERROR,
            Level::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        source: Some("sitegen".into()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

fn handle_request(st: &State, req: Request) -> Response {
    let id = req.id.clone();
    let result = match req.method.as_str() {
        Completion::METHOD => {
            at_position::<lsp_types::CompletionParams>(st, req, |p| &p.text_document_position).map(
                |(ctx_doc, offset)| {
                    with_ctx(st, |ctx| {
                        let items = features::completion(ctx, &ctx_doc.text, offset);
                        serde_json::to_value(CompletionResponse::Array(items))
                    })
                },
            )
        }
        HoverRequest::METHOD => {
            at_position::<lsp_types::HoverParams>(st, req, |p| &p.text_document_position_params)
                .map(|(doc, offset)| {
                    with_ctx(st, |ctx| {
                        let h = doc.rel.as_deref().and_then(|rel| {
                            features::hover(ctx, rel, &doc.text, offset).map(|(contents, range)| {
                                Hover {
                                    contents: HoverContents::Markup(contents),
                                    range: Some(range),
                                }
                            })
                        });
                        serde_json::to_value(h)
                    })
                })
        }
        GotoDefinition::METHOD => at_position::<lsp_types::GotoDefinitionParams>(st, req, |p| {
            &p.text_document_position_params
        })
        .map(|(doc, offset)| {
            with_ctx(st, |ctx| {
                let loc = doc
                    .rel
                    .as_deref()
                    .and_then(|rel| features::definition(ctx, rel, &doc.text, offset))
                    .map(GotoDefinitionResponse::Scalar);
                serde_json::to_value(loc)
            })
        }),
        References::METHOD => {
            let decl = serde_json::from_value::<lsp_types::ReferenceParams>(req.params.clone())
                .map(|p| p.context.include_declaration)
                .unwrap_or(false);
            at_position::<lsp_types::ReferenceParams>(st, req, |p| &p.text_document_position).map(
                |(doc, offset)| {
                    with_ctx(st, |ctx| {
                        let refs = doc.rel.as_deref().and_then(|rel| {
                            features::references(ctx, rel, &doc.text, offset, decl)
                        });
                        serde_json::to_value(refs)
                    })
                },
            )
        }
        lsp_types::request::CodeActionRequest::METHOD => {
            serde_json::from_value::<lsp_types::CodeActionParams>(req.params)
                .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
                .map(|p| {
                    let uri = p.text_document.uri;
                    let actions = match st.docs.get(uri.as_str()) {
                        Some(doc) => {
                            let all = st.engine.diagnostics().sorted();
                            let mine: Vec<&Diagnostic> = all
                                .iter()
                                .filter(|d| doc.rel.as_deref() == Some(d.span.path.as_str()))
                                .collect();
                            super::actions::quick_fixes(&mine, &uri, &doc.text, p.range, st.enc)
                        }
                        None => Vec::new(),
                    };
                    serde_json::to_value(actions)
                })
        }
        _ => Err((
            ErrorCode::MethodNotFound,
            format!("sitegen lsp does not answer {}", req.method),
        )),
    };
    match result {
        Ok(Ok(v)) => Response::new_ok(id, v),
        Ok(Err(e)) => err(id, ErrorCode::InternalError, e.to_string()),
        Err((code, msg)) => err(id, code, msg),
    }
}

fn err(id: RequestId, code: ErrorCode, msg: String) -> Response {
    Response::new_err(id, code as i32, msg)
}

type Failed = (ErrorCode, String);

/// The open document and byte offset a position request is about.
fn at_position<P: serde::de::DeserializeOwned>(
    st: &State,
    req: Request,
    pos: impl Fn(&P) -> &TextDocumentPositionParams,
) -> Result<(&Doc, usize), Failed> {
    let p: P = serde_json::from_value(req.params)
        .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
    let tdp = pos(&p);
    let doc = st.docs.get(tdp.text_document.uri.as_str()).ok_or((
        ErrorCode::InvalidParams,
        format!("{} is not open", tdp.text_document.uri.as_str()),
    ))?;
    let offset = text::offset_of(&doc.text, tdp.position, st.enc);
    Ok((doc, offset))
}

/// Runs `f` with the site the engine checked; null when nothing could be checked.
fn with_ctx(
    st: &State,
    f: impl FnOnce(&Ctx) -> serde_json::Result<serde_json::Value>,
) -> serde_json::Result<serde_json::Value> {
    let Some(site) = st.engine.site() else {
        return Ok(serde_json::Value::Null);
    };
    let diags: Vec<Diagnostic> = st.engine.diagnostics().into_iter().collect();
    let text_of = |rel: &str| -> Option<String> {
        if let Some(d) = st.docs.values().find(|d| d.rel.as_deref() == Some(rel)) {
            return Some(d.text.clone());
        }
        if let Some(p) = site.pages.iter().find(|p| p.article.path == rel) {
            return Some(p.article.source.clone());
        }
        std::fs::read_to_string(st.root.join(rel)).ok()
    };
    let ctx = Ctx {
        site,
        root: &st.root,
        enc: st.enc,
        text_of: &text_of,
        diags: &diags,
    };
    f(&ctx)
}

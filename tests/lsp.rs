//! `sitegen lsp` driven over JSON-RPC as an editor drives it: the binary spawned outside the
//! site, the site given as rootUri, unsaved drift diagnosed and then fixed, completion,
//! hover, definition, references, shutdown and exit.

mod common;
mod lsp_support;

use lsp_support::{uri, Client};
use serde_json::{json, Value};

use std::path::Path;

fn bin() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_sitegen"))
}

/// The 0-based LSP position (ASCII text) of byte `offset`.
fn pos(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let col = offset - before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": col})
}

fn at(doc: &str, text: &str, offset: usize) -> Value {
    json!({"textDocument": {"uri": doc}, "position": pos(text, offset)})
}

#[test]
fn an_editor_session() {
    let site = common::fixture("basic");
    // Started elsewhere: the site must come from rootUri, not the working directory.
    let elsewhere = common::temp_dir("lsp-cwd");
    let on_disk = common::read(&site, "content/spark.md");
    assert!(on_disk.contains("[273 GB/s]"));

    // What `sitegen check` says of the same drift, saved to a copy.
    let saved = common::fixture("basic");
    common::edit(&saved, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    let run = common::sitegen(&saved, &["check", "--drafts"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let check_line = run
        .diagnostics()
        .into_iter()
        .find(|l| l.starts_with("error[drift]"))
        .expect("check finds the drift")
        .to_string();

    let mut c = Client::start(bin(), &elsewhere);
    let init = c.initialize(&site);
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], true, "{init}");
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "sitegen");

    // didOpen with unsaved drift: the check's own diagnostic, its range on the literal.
    let doc = uri(&site.join("content/spark.md"));
    let drifted = on_disk.replacen("[273 GB/s]", "[275 GB/s]", 1);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 1, "text": drifted}}),
    );
    let diags = c.diagnostics(&doc, 1);
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["code"], "drift");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "sitegen");
    let lit = drifted.find("275 GB/s").unwrap();
    assert_eq!(d["range"]["start"], pos(&drifted, lit));
    assert_eq!(d["range"]["end"], pos(&drifted, lit + "275 GB/s".len()));
    // Same code, place and message as `sitegen check` on the saved file.
    let start = &d["range"]["start"];
    let expected = format!(
        "error[drift]: content/spark.md:{}:{}: {}",
        start["line"].as_u64().unwrap() + 1,
        start["character"].as_u64().unwrap() + 1,
        d["message"].as_str().unwrap().lines().next().unwrap()
    );
    assert_eq!(expected, check_line);
    // The file on disk is untouched: the text checked was the editor's.
    assert_eq!(common::read(&site, "content/spark.md"), on_disk);

    // The quick fix the check suggests, as a code action on the literal.
    let r = c.call(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc}, "range": {"start": pos(&drifted, lit + 1), "end": pos(&drifted, lit + 1)}, "context": {"diagnostics": []}}),
    );
    let actions = r.as_array().expect("actions");
    assert_eq!(actions.len(), 1, "{r}");
    assert_eq!(actions[0]["kind"], "quickfix");
    let edit = &actions[0]["edit"]["changes"][doc.as_str()][0];
    assert_eq!(edit["newText"], "273 GB/s", "{r}");
    assert_eq!(edit["range"], d["range"]);

    // didChange fixing it (an incremental edit of the three digits): no diagnostics.
    let t0 = std::time::Instant::now();
    c.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": doc, "version": 2},
            "contentChanges": [{"range": {"start": pos(&drifted, lit), "end": pos(&drifted, lit + 3)}, "text": "273"}],
        }),
    );
    let diags = c.diagnostics(&doc, 2);
    eprintln!("didChange → publishDiagnostics: {:?}", t0.elapsed());
    assert!(diags.is_empty(), "{diags:?}");
    let text = on_disk.clone();

    // Completion after `cite:devices.dgx_spark.`: its figures, with value and source.
    let cite = text
        .find("cite:devices.dgx_spark.memory_bandwidth")
        .unwrap();
    let after_dot = cite + "cite:devices.dgx_spark.".len();
    let r = c.call("textDocument/completion", at(&doc, &text, after_dot));
    let items = r.as_array().expect("a list of items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(
        labels,
        [
            "launch_price",
            "memory",
            "memory_bandwidth",
            "street_price_eu"
        ]
    );
    let bw = &items[2];
    assert!(
        bw["detail"].as_str().unwrap().starts_with("273 GB/s · "),
        "{bw}"
    );
    // …and the first segment right after `cite:`.
    let r = c.call(
        "textDocument/completion",
        at(&doc, &text, cite + "cite:".len()),
    );
    let labels: Vec<String> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(labels, ["bench", "devices"]);
    // Shortcode ids.
    let id_at = text.find("{{ table(id=\"").unwrap() + "{{ table(id=\"".len();
    let r = c.call("textDocument/completion", at(&doc, &text, id_at));
    assert_eq!(r[0]["label"], "bandwidth", "{r}");

    // Hover on the citation: value, unit, source, date and the verdict.
    let r = c.call("textDocument/hover", at(&doc, &text, cite - 4));
    let h = r["contents"]["value"].as_str().expect("markdown hover");
    for want in [
        "devices.dgx_spark.memory_bandwidth",
        "= 273 GB/s",
        "unit: GB/s",
        "source: ",
        "as of: 2025-10-13",
        "**Verdict:** \"273 GB/s\" agrees",
    ] {
        assert!(h.contains(want), "hover lacks {want:?}:\n{h}");
    }

    // Definition: the key's line in data/devices.yaml.
    let r = c.call("textDocument/definition", at(&doc, &text, cite + 12));
    let yaml_uri = uri(&site.join("data/devices.yaml"));
    assert_eq!(r["uri"], yaml_uri.as_str(), "{r}");
    let yaml = common::read(&site, "data/devices.yaml");
    let key_at = yaml.find("  memory_bandwidth:").unwrap() + 2;
    assert_eq!(r["range"]["start"], pos(&yaml, key_at));

    // References from the YAML key: every place in the articles that prints it.
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": yaml_uri, "languageId": "yaml", "version": 1, "text": yaml}}),
    );
    let r = c.call(
        "textDocument/references",
        json!({"textDocument": {"uri": yaml_uri}, "position": pos(&yaml, key_at + 3), "context": {"includeDeclaration": false}}),
    );
    let refs = r.as_array().expect("locations");
    let lines: Vec<u64> = refs
        .iter()
        .inspect(|l| assert_eq!(l["uri"], doc.as_str()))
        .map(|l| l["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    // The citation, the ratio that reads it (same line) and the table on line 16.
    let cite_line = pos(&text, cite)["line"].as_u64().unwrap();
    let table_line = pos(&text, text.find("{{ table").unwrap())["line"]
        .as_u64()
        .unwrap();
    assert!(lines.contains(&cite_line), "{refs:?}");
    assert!(lines.contains(&table_line), "{refs:?}");
    assert!(refs.len() >= 3, "{refs:?}");
    // Hover on the YAML key: the places that print it.
    let r = c.call(
        "textDocument/hover",
        json!({"textDocument": {"uri": yaml_uri}, "position": pos(&yaml, key_at + 3)}),
    );
    let h = r["contents"]["value"].as_str().unwrap();
    assert!(h.contains("Printed in"), "{h}");
    assert!(
        h.contains(&format!("content/spark.md:{}:", cite_line + 1)),
        "{h}"
    );

    // An unsaved edit of the data: the open article now drifts from it; undone, it agrees.
    let value = yaml.find("value: 273").unwrap() + "value: ".len();
    let change = |from: usize, to: usize, version: i64, text: &str| {
        json!({
            "textDocument": {"uri": yaml_uri, "version": version},
            "contentChanges": [{"range": {"start": pos(&yaml, from), "end": pos(&yaml, to)}, "text": text}],
        })
    };
    c.notify("textDocument/didChange", change(value, value + 3, 2, "275"));
    let p = c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == doc.as_str()
    });
    let drift: Vec<&Value> = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "drift")
        .collect();
    // The figure itself, and the ratio that reads it (0.33x is now 0.34x).
    assert_eq!(drift.len(), 2, "{p}");
    assert!(
        drift[0]["message"]
            .as_str()
            .unwrap()
            .contains("write \"275 GB/s\""),
        "{p}"
    );
    assert!(
        drift[1]["message"]
            .as_str()
            .unwrap()
            .contains("write \"0.34x\""),
        "{p}"
    );
    c.notify("textDocument/didChange", change(value, value + 3, 3, "273"));
    let p = c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == doc.as_str()
    });
    assert_eq!(p["diagnostics"], json!([]), "{p}");
    // Broken YAML in the buffer: the dataset's own error, in the YAML file.
    c.notify("textDocument/didChange", change(value, value, 4, "["));
    let d = c.diagnostics(&yaml_uri, 4);
    assert!(d.iter().any(|d| d["code"] == "yaml"), "{d:?}");
    c.notify("textDocument/didChange", change(value, value + 1, 5, ""));
    let d = c.diagnostics(&yaml_uri, 5);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(common::read(&site, "data/devices.yaml"), yaml);

    // Unknown methods are errors, not crashes.
    let r = c.request("textDocument/formatting", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");

    assert_eq!(c.shutdown(), 0);
    assert_eq!(common::read(&site, "content/spark.md"), on_disk);
}

/// Closing a document goes back to the file on disk and clears its diagnostics; a site
/// below the workspace folder's parent is found (the folder opened is `content/`).
#[test]
fn close_goes_back_to_the_disk() {
    let site = common::fixture("basic");
    let mut c = Client::start(bin(), &common::temp_dir("lsp-cwd2"));
    c.initialize(&site.join("content"));
    let doc = uri(&site.join("content/guides/other.md"));
    let text = common::read(&site, "content/guides/other.md");
    let broken = format!("{text}\nSee [nothing](cite:devices.nope).\n");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": doc, "languageId": "markdown", "version": 7, "text": broken}}),
    );
    let diags = c.diagnostics(&doc, 7);
    assert!(
        diags.iter().any(|d| d["code"] == "unknown-key"),
        "{diags:?}"
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": doc}}),
    );
    let p = c.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == doc.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.is_empty())
    });
    assert!(p["diagnostics"].as_array().unwrap().is_empty());
    // Exit without shutdown: exit code 1, as the protocol says.
    assert_eq!(c.exit(), 1);
}

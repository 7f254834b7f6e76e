//! The guide's receipts print only what their sources print: every command line of every
//! receipt in the guide's `data/receipts.yaml` must stand, verbatim, in the text of the
//! seed publication its `source` names. The seeds live in `../shared/seeds` beside the
//! repository; without them this test fails, it never passes by skipping.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each seed publication a receipt may name, with a line that only its seed file holds.
/// The seed files are named by number and hash, so they are found by this line.
const SEEDS: &[(&str, &str)] = &[
    (
        "sovgrid-buy-spark",
        "Should You Buy a DGX Spark in 2026? The Honest Decision Tree",
    ),
    (
        "bay41-spark-review",
        "I got a Founders Edition in late October 2025",
    ),
    ("nerdpudding-worth-it", "# DGX Spark: When Is It Worth It?"),
    ("starryhope-landscape", "Published on by Jim Mendenhall"),
    ("jlw-four-sparks", "Four Sparks and a Prayer"),
];

/// The repository root: the nearest folder at or above the crate holding the guide.
fn repo_root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        if dir.join("data/receipts.yaml").is_file() && dir.join("content").is_dir() {
            return dir;
        }
        assert!(
            dir.pop(),
            "no folder at or above {} holds the guide (data/receipts.yaml and content/)",
            env!("CARGO_MANIFEST_DIR")
        );
    }
}

/// The text of each seed publication, by source key.
fn seed_texts(seeds: &Path) -> BTreeMap<&'static str, String> {
    assert!(
        seeds.is_dir(),
        "the seed texts are missing: expected the folder {} (../shared/seeds from the \
         repository root); this test checks receipts against them and cannot pass without them",
        seeds.display()
    );
    let mut files = Vec::new();
    for entry in std::fs::read_dir(seeds).expect("read the seeds folder") {
        let path = entry.expect("a seeds folder entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read seed {}: {e}", path.display()));
            files.push((path, text));
        }
    }
    let mut texts = BTreeMap::new();
    for (key, marker) in SEEDS {
        let found: Vec<&(PathBuf, String)> =
            files.iter().filter(|(_, t)| t.contains(marker)).collect();
        assert_eq!(
            found.len(),
            1,
            "the seed of `{key}` is the one file of {} holding {marker:?}; found {:?}",
            seeds.display(),
            found.iter().map(|(p, _)| p).collect::<Vec<_>>()
        );
        texts.insert(*key, found[0].1.clone());
    }
    texts
}

/// Whether `line` stands in `text` as written, as a whole: not the start or the end of a
/// longer command (`switch.sh qwen` does not stand in `switch.sh qwen|mistral`).
fn stands_in(text: &str, line: &str) -> bool {
    let bounded_before =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "(\"'“‘`".contains(c));
    let bounded_after =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || ".,;:)\"'”’`".contains(c));
    text.match_indices(line).any(|(i, _)| {
        bounded_before(text[..i].chars().next_back())
            && bounded_after(text[i + line.len()..].chars().next())
    })
}

/// Every `(receipt id, source key, command line)` of the guide's receipts.
fn receipt_lines(root: &Path) -> Vec<(String, String, String)> {
    let path = root.join("data/receipts.yaml");
    let text = std::fs::read_to_string(&path).expect("read data/receipts.yaml");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("data/receipts.yaml parses");
    let receipts = yaml.as_mapping().expect("data/receipts.yaml is a mapping");
    let mut lines = Vec::new();
    for (id, receipt) in receipts {
        let id = id.as_str().expect("a receipt id is text").to_string();
        let source = receipt["source"]
            .as_str()
            .unwrap_or_else(|| panic!("receipt `{id}` has no source"))
            .to_string();
        let Some(command) = receipt.get("command").and_then(|c| c.as_str()) else {
            continue;
        };
        for line in command.lines().map(str::trim).filter(|l| !l.is_empty()) {
            lines.push((id.clone(), source.clone(), line.to_string()));
        }
    }
    lines
}

#[test]
fn every_receipt_command_line_stands_verbatim_in_its_source() {
    let root = repo_root();
    let seeds = seed_texts(&root.join("../shared/seeds"));
    let lines = receipt_lines(&root);
    assert!(
        !lines.is_empty(),
        "data/receipts.yaml has no command line at all"
    );
    let mut problems = Vec::new();
    for (id, source, line) in &lines {
        match seeds.get(source.as_str()) {
            None => problems.push(format!(
                "receipt `{id}` names source `{source}`, which is none of the seed publications \
                 ({}); a receipt's command must come from a text we have read",
                SEEDS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            )),
            Some(text) if !stands_in(text, line) => problems.push(format!(
                "receipt `{id}`: the line {line:?} does not stand verbatim in the seed of `{source}`; \
                 print only what the source prints, and put adaptations in prose marked as ours"
            )),
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_line_the_source_does_not_print_is_caught() {
    let root = repo_root();
    let seeds = seed_texts(&root.join("../shared/seeds"));
    let sovgrid = &seeds["sovgrid-buy-spark"];
    assert!(stands_in(sovgrid, "echo 3 > /proc/sys/vm/drop_caches"));
    assert!(!stands_in(
        sovgrid,
        "echo 3 | sudo tee /proc/sys/vm/drop_caches"
    ));
    assert!(!stands_in(
        sovgrid,
        "sudo systemctl restart vllm-qwen36.service"
    ));
    // A prefix of the source's notation is not a line the source gives.
    assert!(!stands_in(sovgrid, "/data/scripts/llm/switch.sh qwen"));
    assert!(stands_in(
        sovgrid,
        "/data/scripts/llm/switch.sh qwen|mistral|none|status"
    ));
}

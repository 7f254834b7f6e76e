//! sitegen in CI and at the author's desk: annotations, JSON diagnostics, `cites`, `new`.

mod common;
use common::*;
use std::path::Path;

fn drifting_site() -> std::path::PathBuf {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    write(
        &site,
        "content/loose.md",
        "---\ntitle: Loose\ndate: 2026-01-01\n---\n\nIt has 128 GB.\n",
    );
    site
}

#[test]
fn github_actions_gets_workflow_commands_and_nobody_else_does() {
    let site = drifting_site();
    let run = sitegen_env(&site, &["check"], &[("GITHUB_ACTIONS", "true")]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(&"::error file=content/spark.md,line=9,col=28,endLine=9,endColumn=36,title=drift::\"275 GB/s\" disagrees with devices.dgx_spark.memory_bandwidth = 273 GB/s (data/devices.yaml:5:21); write \"273 GB/s\""),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().any(
            |l| l.starts_with("::warning file=content/loose.md,line=6,col=8,")
                && l.contains("title=uncited::")
        ),
        "{}",
        run.stdout
    );
    // The human lines still go to stderr.
    assert!(run.stderr.contains("error[drift]: content/spark.md:9:28:"));
    // With --root, paths are given from the working directory, where GitHub looks for them.
    let parent = site.parent().unwrap();
    let name = site.file_name().unwrap().to_str().unwrap();
    let run = sitegen_env(
        parent,
        &["check", "--root", name],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert!(
        run.stdout.contains(&format!(
            "::error file={name}/content/spark.md,line=9,col=28,"
        )),
        "{}",
        run.stdout
    );

    let plain = sitegen(&site, &["check"]);
    assert!(
        !plain.stdout.contains("::"),
        "no annotations outside GitHub Actions: {}",
        plain.stdout
    );
}

#[test]
fn json_format_prints_one_object_per_diagnostic_with_every_field() {
    let site = drifting_site();
    for cmd in ["check", "build"] {
        let run = sitegen(&site, &[cmd, "--format", "json"]);
        assert_eq!(run.code, 1);
        let objects: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
            .collect();
        assert_eq!(objects.len(), 2, "{}", run.stdout);
        let drift = objects.iter().find(|o| o["code"] == "drift").unwrap();
        assert_eq!(drift["level"], "error");
        assert_eq!(drift["path"], "content/spark.md");
        assert_eq!(drift["line"], 9);
        assert_eq!(drift["col"], 28);
        assert_eq!(drift["end"]["line"], 9);
        assert_eq!(drift["end"]["col"], 36);
        assert_eq!(drift["suggestion"], "273 GB/s");
        assert!(drift["message"].as_str().unwrap().contains("disagrees"));
        let uncited = objects.iter().find(|o| o["code"] == "uncited").unwrap();
        assert_eq!(uncited["level"], "warning");
        assert_eq!(
            uncited["suggestion"],
            "[128 GB](cite:devices.dgx_spark.memory)"
        );
        for key in [
            "level",
            "code",
            "path",
            "line",
            "col",
            "end",
            "message",
            "suggestion",
        ] {
            assert!(drift.get(key).is_some(), "{key}");
        }
    }
}

#[test]
fn cites_lists_every_place_that_prints_the_sparks_bandwidth_in_the_real_guide() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = sitegen(repo, &["cites", "devices.dgx_spark.memory_bandwidth"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() >= 5, "{}", run.stdout);
    for l in &lines {
        assert!(l.starts_with("content/"), "{l}");
        assert!(l.contains(": devices.dgx_spark.memory_bandwidth: "), "{l}");
    }
    // Prose citations, ratios over it and table cells are all places.
    assert!(
        lines.iter().any(|l| l.ends_with(": \"273 GB/s\"")),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("(cite:") && l.contains(" / ")),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().any(|l| l.contains("table \"")),
        "{}",
        run.stdout
    );
    // Charts print it too.
    assert!(
        lines.iter().any(|l| l.contains("chart \"")),
        "{}",
        run.stdout
    );
    // Each place is real: the line it names holds the citation, the table or the chart.
    for l in &lines {
        let mut parts = l.splitn(4, ':');
        let (path, line) = (
            parts.next().unwrap(),
            parts.next().unwrap().parse::<usize>().unwrap(),
        );
        let text = std::fs::read_to_string(repo.join(path)).unwrap();
        let source_line = text.lines().nth(line - 1).unwrap();
        assert!(
            source_line.contains("cite:")
                || source_line.contains("{{ table(")
                || source_line.contains("{{ chart("),
            "{l}: {source_line}"
        );
    }
    let unknown = sitegen(repo, &["cites", "devices.dgx_sparkk.memory_bandwidth"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains("did you mean"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn cites_unused_lists_figures_nobody_prints() {
    let site = fixture("basic");
    write(
        &site,
        "data/extra.yaml",
        "lonely:\n  weight: { value: 1.2, unit: GB, source: nvidia-spec }\n",
    );
    let run = sitegen(&site, &["cites", "--unused"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("data/extra.yaml:2:11: extra.lonely.weight is cited nowhere"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("devices.dgx_spark.memory_bandwidth"),
        "{}",
        run.stdout
    );
}

#[test]
fn new_creates_a_valid_draft_and_refuses_to_overwrite() {
    let site = fixture("basic");
    let run = sitegen(&site, &["new", "Is the Spark Quiet?"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = read(&site, "content/is-the-spark-quiet.md");
    assert!(text.contains("title: \"Is the Spark Quiet?\""));
    assert!(text.contains("date: 2026-11-21"));
    assert!(text.contains("draft: true"));
    // It is valid: the site checks with drafts included.
    let check = sitegen(&site, &["check", "--drafts"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let again = sitegen(&site, &["new", "Is the Spark quiet"]);
    assert_eq!(again.code, 1);
    assert!(
        again
            .stderr
            .contains("content/is-the-spark-quiet.md already"),
        "{}",
        again.stderr
    );
    // An existing slug set in front matter counts too.
    let taken = sitegen(&site, &["new", "Spark"]);
    assert_eq!(taken.code, 1);
    assert!(
        taken
            .stderr
            .contains("content/spark.md already publishes at /spark/"),
        "{}",
        taken.stderr
    );
    assert_eq!(
        read(&site, "content/spark.md").lines().nth(1),
        Some("title: The Spark in numbers")
    );
}

#[test]
fn the_readme_workflow_is_valid_yaml_that_checks_builds_and_publishes() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```yaml\nname: Publish")
        .expect("the README has the workflow");
    let body = &readme[start + 8..];
    let yaml = &body[..body.find("```").unwrap()];
    let doc: serde_yaml::Value = serde_yaml::from_str(yaml).expect("valid YAML");
    let steps = doc["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("build steps");
    let runs: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    let uses: Vec<String> = steps
        .iter()
        .filter_map(|s| s["uses"].as_str().map(str::to_string))
        .collect();
    assert!(
        runs.iter().any(|r| r.contains("check --strict")),
        "{runs:?}"
    );
    assert!(
        runs.iter().any(|r| r.starts_with("sitegen build")),
        "{runs:?}"
    );
    // A guide in its own repository installs the binary, and caches it.
    assert!(
        runs.iter()
            .any(|r| r.starts_with("cargo install --git ") && r.ends_with(" --locked")),
        "{runs:?}"
    );
    let cached = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/cache"))
        })
        .and_then(|s| s["with"]["path"].as_str());
    assert_eq!(cached, Some("~/.cargo/bin/sitegen"));
    assert!(
        uses.iter().any(|u| u.starts_with("actions/cache")),
        "{uses:?}"
    );
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-pages-artifact")),
        "{uses:?}"
    );
    assert!(doc["jobs"]["deploy"]["steps"][0]["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/deploy-pages"));
}

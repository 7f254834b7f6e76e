//! Checks you can trust (issue #14), end to end on the `basic` fixture: no literal that
//! rounds the figure away, suggestions that fix, malformed citations as errors, `check`
//! failing wherever `build` would, `cites` listing drifting places too.

mod common;
use common::*;

/// A spare article citing `expr` with `text`, appended to the fixture.
fn cite_in_new_article(site: &std::path::Path, line: &str) {
    write(
        site,
        "content/trust.md",
        &format!("---\ntitle: Trust\ndate: 2026-05-05\n---\n\n{line}\n"),
    );
}

/// The JSON diagnostics of a run (`--format json` prints one object per line on stdout).
fn json_diags(run: &Run) -> Vec<serde_json::Value> {
    run.stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn literals_that_round_the_figure_away_are_drift() {
    let site = fixture("basic");
    // 0 TB for 128 GB, 0 TB/s for 273 GB/s, $0M for $3,999, 0.3 TB/s for 273 GB/s:
    // each is the value rounded to the literal's decimals, and each misleads.
    cite_in_new_article(
        &site,
        "A [0 TB](cite:devices.dgx_spark.memory), B [0 TB/s](cite:devices.dgx_spark.memory_bandwidth),\n\
         C [$0M](cite:devices.dgx_spark.launch_price), D [0.3 TB/s](cite:devices.dgx_spark.memory_bandwidth).",
    );
    for cmd in ["check", "build"] {
        let run = sitegen(&site, &[cmd]);
        assert_eq!(run.code, 1, "{cmd}: {}", run.stderr);
        let d = run.diagnostics();
        assert_eq!(d.len(), 4, "{}", run.stderr);
        assert!(d
            .iter()
            .all(|l| l.starts_with("error[drift]: content/trust.md:")));
        assert!(
            d[3].contains("\"0.3 TB/s\"") && d[3].ends_with("write \"0.27 TB/s\""),
            "{}",
            d[3]
        );
    }
    assert!(!site.join("public").exists());
}

#[test]
fn literals_that_round_little_still_agree_and_max_rounding_is_configurable() {
    let site = fixture("basic");
    cite_in_new_article(
        &site,
        "A [$4k](cite:devices.dgx_spark.launch_price), B [0.27 TB/s](cite:devices.dgx_spark.memory_bandwidth), C [0.3 TB/s](cite:devices.dgx_spark.memory_bandwidth).",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(run.diagnostics()[0].contains("\"0.3 TB/s\""));
    // A site that accepts 10 % of rounding lets 0.3 TB/s through.
    let toml = read(&site, "sitegen.toml");
    write(
        &site,
        "sitegen.toml",
        &format!("{toml}\n[cite]\nmax_rounding = 0.1\n"),
    );
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    edit(
        &site,
        "sitegen.toml",
        "max_rounding = 0.1",
        "max_rounding = 1.5",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.diagnostics()[0].starts_with("error[config]: sitegen.toml:"),
        "{}",
        run.stderr
    );
}

#[test]
fn suggestions_are_the_exact_replacement_with_the_literal_byte_range() {
    let site = fixture("basic");
    edit(
        &site,
        "data/devices.yaml",
        "  memory: { value: 128, unit: GB, source: nvidia-spec }\n",
        "  memory: { value: 128, unit: GB, source: nvidia-spec }\n  power_max: { value: 240, unit: W, source: nvidia-spec }\n  power_idle: { value: 17.9, unit: W, source: nvidia-spec }\n",
    );
    cite_in_new_article(
        &site,
        "Draws [240 kW](cite:devices.dgx_spark.power_max), idles at [17.9 kW](cite:devices.dgx_spark.power_idle), reads at [0.3 TB/s](cite:devices.dgx_spark.memory_bandwidth).",
    );
    let run = sitegen(&site, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let diags = json_diags(&run);
    let fixes: Vec<&str> = diags
        .iter()
        .map(|d| d["suggestion"].as_str().expect("a suggestion"))
        .collect();
    assert_eq!(fixes, ["240 W", "17.9 W", "0.27 TB/s"], "{}", run.stderr);
    // Applying each suggestion over its byte range (last first) fixes the article.
    let mut text = read(&site, "content/trust.md");
    let mut edits: Vec<(usize, usize, &str)> = diags
        .iter()
        .map(|d| {
            let b = &d["bytes"];
            let (s, e) = (
                b["start"].as_u64().unwrap() as usize,
                b["end"].as_u64().unwrap() as usize,
            );
            (s, e, d["suggestion"].as_str().unwrap())
        })
        .collect();
    assert_eq!(&text[edits[0].0..edits[0].1], "240 kW");
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (s, e, fix) in edits {
        text.replace_range(s..e, fix);
    }
    write(&site, "content/trust.md", &text);
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_citation_commonmark_did_not_link_is_an_error_not_raw_markdown() {
    let site = fixture("basic");
    cite_in_new_article(
        &site,
        "It is [3.0x](cite:devices.mac_studio_m3_ultra.memory_bandwidth / devices.dgx_spark.memory_bandwidth) faster.\n\n\
         `[in code](cite:a / b)` is fine.",
    );
    for cmd in ["check", "build"] {
        let run = sitegen(&site, &[cmd]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let d = run.diagnostics();
        assert_eq!(d.len(), 1, "{}", run.stderr);
        assert!(
            d[0].starts_with("error[cite-syntax]: content/trust.md:6:7: "),
            "{}",
            d[0]
        );
        assert!(d[0].contains("wrap the expression in `<…>`"), "{}", d[0]);
    }
    let run = sitegen(&site, &["check", "--format", "json"]);
    let d = &json_diags(&run)[0];
    assert_eq!(
        d["suggestion"],
        "[3.0x](<cite:devices.mac_studio_m3_ultra.memory_bandwidth / devices.dgx_spark.memory_bandwidth>)"
    );
}

#[test]
fn values_that_cannot_print_truthfully_are_errors() {
    let site = fixture("basic");
    edit(
        &site,
        "data/devices.yaml",
        "  memory: { value: 128, unit: GB, source: nvidia-spec }\n",
        "  memory: { value: 128, unit: GB, source: nvidia-spec }\n  huge: { value: 1e300, unit: GB/s, source: nvidia-spec }\n  tiny: { value: 1e-320, unit: GB/s, source: nvidia-spec }\n",
    );
    cite_in_new_article(
        &site,
        "A [](<cite:devices.dgx_spark.huge * devices.dgx_spark.huge / devices.dgx_spark.tiny>) B [](cite:devices.dgx_spark.tiny)",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    assert_eq!(d.len(), 2, "{}", run.stderr);
    assert!(
        d[0].starts_with("error[cite-expr]: content/trust.md:6:")
            && d[0].contains("not a finite number"),
        "{}",
        d[0]
    );
    assert!(
        d[1].starts_with("error[cite-expr]: content/trust.md:6:")
            && d[1].contains("would print as \"0 GB/s\""),
        "{}",
        d[1]
    );
}

#[test]
fn check_fails_on_a_template_error_once_at_the_template_line() {
    let site = fixture("basic");
    let builtin = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/render/builtin/templates/article.html"),
    )
    .unwrap();
    let broken = builtin.replacen("{{ page.title }}", "{{ page.titel }}", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("page.titel"))
        .unwrap()
        + 1;
    let col = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("page.titel")
        .unwrap()
        + 1;
    write(&site, "templates/article.html", &broken);
    for cmd in ["check", "build"] {
        let run = sitegen(&site, &[cmd, "--strict"]);
        assert_eq!(run.code, 1, "{cmd}: {}", run.stderr);
        let d = run.diagnostics();
        assert_eq!(
            d.len(),
            1,
            "{cmd}: one error for every page: {}",
            run.stderr
        );
        assert!(
            d[0].starts_with(&format!(
                "error[template]: templates/article.html:{line}:{col}: "
            )),
            "{cmd}: {}",
            d[0]
        );
        assert!(d[0].contains("page.titel"));
        assert!(
            run.stderr.contains("while rendering content/"),
            "{}",
            run.stderr
        );
    }
    assert!(
        !site.join("public").exists(),
        "check writes nothing, a failed build neither"
    );
    // Fixed, check passes and still writes nothing.
    write(&site, "templates/article.html", &builtin);
    let run = sitegen(&site, &["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("public").exists());
}

#[test]
fn cites_lists_a_drifting_place_and_marks_it() {
    let site = fixture("basic");
    let run = sitegen(&site, &["cites", "devices.dgx_spark.memory_bandwidth"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = run.stdout.lines().count();
    assert!(
        run.stdout.contains("content/spark.md:9:27:"),
        "{}",
        run.stdout
    );
    edit(&site, "content/spark.md", "[273 GB/s]", "[0.3 TB/s]");
    let run = sitegen(&site, &["cites", "devices.dgx_spark.memory_bandwidth"]);
    assert_eq!(run.stdout.lines().count(), before, "{}", run.stdout);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("content/spark.md:9:27:"))
        .expect("the drifting place is listed");
    assert!(
        line.ends_with("\"0.3 TB/s\" (cite:devices.dgx_spark.memory_bandwidth) DOES NOT AGREE: error[drift] (write \"0.27 TB/s\")"),
        "{line}"
    );
    assert!(
        run.stderr.contains("1 of them not agreeing"),
        "{}",
        run.stderr
    );
    let run = sitegen(
        &site,
        &[
            "cites",
            "devices.dgx_spark.memory_bandwidth",
            "--format",
            "json",
        ],
    );
    let bad: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["agrees"] == false)
        .collect();
    assert_eq!(bad.len(), 1, "{}", run.stdout);
    assert_eq!(bad[0]["problem"], "error[drift] (write \"0.27 TB/s\")");
}

#[test]
fn a_duplicate_key_is_an_error_at_the_second_naming_the_first() {
    let site = fixture("basic");
    edit(
        &site,
        "data/devices.yaml",
        "  memory: { value: 128, unit: GB, source: nvidia-spec }\n",
        "  memory: { value: 128, unit: GB, source: nvidia-spec }\n  memory: { value: 64, unit: GB, source: nvidia-spec }\n",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.diagnostics(),
        ["error[yaml]: data/devices.yaml:5:3: duplicate key `memory`: it is already defined at line 4, column 3; the second would silently replace the first"],
        "{}",
        run.stderr
    );
    let site = fixture("basic");
    edit(
        &site,
        "data/sources.yaml",
        "bench-video:\n",
        "nvidia-spec:\n  title: Other\n  url: https://example.org/\nbench-video:\n",
    );
    let d = sitegen(&site, &["check"]);
    assert_eq!(d.diagnostics().len(), 1, "{}", d.stderr);
    assert!(d.diagnostics()[0].starts_with("error[yaml]: data/sources.yaml:6:1: duplicate key `nvidia-spec`: it is already defined at line 1, column 1"));
    let site = fixture("basic");
    write(
        &site,
        "content/trust.md",
        "---\ntitle: One\ndate: 2026-05-05\ntitle: Two\n---\n\nText.\n",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(
        run.diagnostics(),
        ["error[yaml]: content/trust.md:4:1: duplicate key `title` in the front matter: it is already defined at line 2, column 1; the second would silently replace the first"],
        "{}",
        run.stderr
    );
}

#[test]
fn one_root_cause_gives_one_error() {
    // A data file that does not parse: its parse error only, not every citation into it.
    let site = fixture("basic");
    edit(
        &site,
        "data/devices.yaml",
        "  memory: { value: 128",
        "    memory: { value: 128",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(
        d[0].starts_with("error[yaml]: data/devices.yaml:"),
        "{}",
        d[0]
    );
    // A source without url: one error at that source, none at the figures citing it.
    let site = fixture("basic");
    edit(
        &site,
        "data/sources.yaml",
        "  url: https://www.nvidia.com/en-us/products/workstations/dgx-spark/\n",
        "",
    );
    let run = sitegen(&site, &["check"]);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(
        d[0].starts_with("error[dataset]: data/sources.yaml:"),
        "{}",
        d[0]
    );
    assert!(d[0].contains("url"), "{}", d[0]);
    // A receipt without source: one error at the receipt, not "no receipt" where it is used.
    let site = fixture("basic");
    edit(&site, "data/receipts.yaml", "  source: bench-video\n", "");
    let run = sitegen(&site, &["check"]);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(
        d[0].starts_with("error[dataset]: data/receipts.yaml:"),
        "{}",
        d[0]
    );
    // A table without rows: one error at the table, not one more per column.
    let site = fixture("basic");
    edit(
        &site,
        "data/tables.yaml",
        "  rows: [devices.dgx_spark, devices.mac_studio_m3_ultra, devices.rtx_4090]\n",
        "",
    );
    let run = sitegen(&site, &["check"]);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(d[0].contains("table `bandwidth` has no rows"), "{}", d[0]);
    // A decision answer without outcome or next: one error at the answer.
    let site = fixture("basic");
    edit(
        &site,
        "data/decisions/buy.yaml",
        "- { label: \"NO\", outcome: Rent first and measure. }",
        "- { label: \"NO\" }",
    );
    let run = sitegen(&site, &["check"]);
    let d = run.diagnostics();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(
        d[0].starts_with("error[dataset]: data/decisions/buy.yaml:18:"),
        "{}",
        d[0]
    );
}

#[test]
fn unknown_units_and_columns_name_what_exists() {
    let site = fixture("basic");
    edit(
        &site,
        "data/tables.yaml",
        "field: launch_price",
        "field: lanch_price",
    );
    edit(
        &site,
        "data/devices.yaml",
        "  memory: { value: 128, unit: GB,",
        "  memory: { value: 128, unit: GBB,",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(
        run.diagnostics(),
        [
            "error[dataset]: data/devices.yaml:4:31: figure `devices.dgx_spark.memory` has unknown unit `GBB`",
            "error[dataset]: data/tables.yaml:7:16: column `lanch_price` of table `bandwidth` names a field no row has",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `GB`?"), "{}", run.stderr);
    assert!(
        run.stderr.contains("the nearest known units: GB, "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `launch_price`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_article_that_does_not_load_is_one_error_not_broken_links_elsewhere() {
    let site = fixture("basic");
    // A front-matter typo in one article, and another article linking to it.
    write(
        &site,
        "content/target.md",
        "---\ntitle: Target\ndate: 2026-05-05\ntitel: typo\n---\n\nText.\n",
    );
    write(
        &site,
        "content/linker.md",
        "---\ntitle: Linker\ndate: 2026-05-05\n---\n\nSee [the target](target.md) and [nothing](nothing.md).\n",
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[front-matter]: content/target.md:")),
        "{}",
        run.stderr
    );
    // The typo is the one cause: no broken link to the article that exists...
    assert!(
        !d.iter().any(|l| l.contains("link to `target.md`")),
        "{}",
        run.stderr
    );
    // ...while a link to an article that does not exist still is one.
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[broken-link]") && l.contains("nothing.md")),
        "{}",
        run.stderr
    );
}

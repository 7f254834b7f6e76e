//! `sitegen fix`: check's suggestions applied in place, as a diff, idempotent, never in
//! code or front matter, never over a file that changed on disk.

mod common;

use common::*;
use sitegen::check::{check_site, CheckOptions};
use sitegen::diagnostics::{Diagnostic, Diagnostics, Span};
use std::path::{Path, PathBuf};

/// A copy of the real guide (content, data, templates, assets, sitegen.toml).
fn guide() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dst = temp_dir("guide");
    for dir in ["content", "data", "templates", "assets"] {
        if repo.join(dir).is_dir() {
            std::fs::create_dir_all(dst.join(dir)).unwrap();
            copy_dir(&repo.join(dir), &dst.join(dir));
        }
    }
    std::fs::copy(repo.join("sitegen.toml"), dst.join("sitegen.toml")).unwrap();
    dst
}

/// Ten prose citations of the guide, each with its literal nudged off the dataset: a
/// bandwidth, decimals, euro and dollar prices, a price range, a percentage, a ratio, a
/// bare count, a rate range and an approximate figure.
const NUDGES: [(&str, &str, &str); 10] = [
    (
        "content/bandwidth-is-the-ceiling.md",
        "[273 GB/s](cite:devices.dgx_spark.memory_bandwidth)",
        "[275 GB/s](cite:devices.dgx_spark.memory_bandwidth)",
    ),
    (
        "content/bandwidth-is-the-ceiling.md",
        "[6.35 tok/s](cite:bounds.spark_llama_3_3_70b)",
        "[6.41 tok/s](cite:bounds.spark_llama_3_3_70b)",
    ),
    (
        "content/alternatives-ranked.md",
        "[€4,800](cite:devices.dgx_spark.msrp_eu_post_feb)",
        "[€4,900](cite:devices.dgx_spark.msrp_eu_post_feb)",
    ),
    (
        "content/alternatives-ranked.md",
        "[€1,900–2,400](cite:devices.dual_3090.street_price_eu)",
        "[€1,950–2,400](cite:devices.dual_3090.street_price_eu)",
    ),
    (
        "content/alternatives-ranked.md",
        "[35%](cite:cloud.opus_tokenizer_increase)",
        "[37%](cite:cloud.opus_tokenizer_increase)",
    ),
    (
        "content/alternatives-ranked.md",
        "[2.8x](cite:cluster.mac_hybrid_speedup)",
        "[2.9x](cite:cluster.mac_hybrid_speedup)",
    ),
    (
        "content/should-you-buy-a-dgx-spark.md",
        "[$3,999](cite:devices.dgx_spark.launch_price)",
        "[$3,899](cite:devices.dgx_spark.launch_price)",
    ),
    (
        "content/should-you-buy-a-dgx-spark.md",
        "[20](cite:devices.dgx_spark.cpu_cores)",
        "[24](cite:devices.dgx_spark.cpu_cores)",
    ),
    (
        "content/running-a-dgx-spark.md",
        "[30–62 tok/s](cite:bench.qwen_3_6_prismaquant.spark_week_one.eval_tps)",
        "[30–65 tok/s](cite:bench.qwen_3_6_prismaquant.spark_week_one.eval_tps)",
    ),
    (
        "content/clustering-dgx-sparks.md",
        "[~1.1 TB/s](cite:cluster.four_node.memory_bandwidth_aggregate)",
        "[~1.4 TB/s](cite:cluster.four_node.memory_bandwidth_aggregate)",
    ),
];

/// The removed (`-`) and added (`+`) lines of a unified diff, headers left out.
fn changed_lines(diff: &str) -> (Vec<&str>, Vec<&str>) {
    let body = diff
        .lines()
        .filter(|l| !l.starts_with("--- ") && !l.starts_with("+++ "));
    let (mut minus, mut plus) = (Vec::new(), Vec::new());
    for l in body {
        if let Some(r) = l.strip_prefix('-') {
            minus.push(r);
        } else if let Some(a) = l.strip_prefix('+') {
            plus.push(a);
        }
    }
    (minus, plus)
}

#[test]
fn ten_nudged_literals_in_the_guide_are_fixed_back_byte_for_byte() {
    let site = guide();
    let original = snapshot(&site);
    for (file, from, to) in NUDGES {
        edit(&site, file, from, to);
    }
    let before = sitegen(&site, &["check"]);
    assert_eq!(before.code, 1, "{}", before.stderr);
    let drifts = before.diagnostics();
    assert_eq!(drifts.len(), 10, "{}", before.stderr);
    assert!(
        drifts.iter().all(|l| l.starts_with("error[drift]")),
        "{drifts:?}"
    );

    let run = sitegen(&site, &["fix"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("fixed 10 problems in 5 files"),
        "{}",
        run.stderr
    );
    // The diff names each file as a/… b/… and changes exactly the ten nudged lines back.
    for file in [
        "content/bandwidth-is-the-ceiling.md",
        "content/alternatives-ranked.md",
        "content/should-you-buy-a-dgx-spark.md",
        "content/running-a-dgx-spark.md",
        "content/clustering-dgx-sparks.md",
    ] {
        assert!(
            run.stdout
                .contains(&format!("--- a/{file}\n+++ b/{file}\n")),
            "{file}:\n{}",
            run.stdout
        );
    }
    let (minus, plus) = changed_lines(&run.stdout);
    assert_eq!((minus.len(), plus.len()), (10, 10), "{}", run.stdout);
    for (_, from, to) in NUDGES {
        assert!(
            minus.iter().any(|l| l.contains(to)),
            "{to}:\n{}",
            run.stdout
        );
        assert!(
            plus.iter().any(|l| l.contains(from)),
            "{from}:\n{}",
            run.stdout
        );
    }

    let strict = sitegen(&site, &["check", "--strict"]);
    assert_eq!(strict.code, 0, "{}", strict.stderr);
    // Every file of the site is byte for byte what it was before the nudges.
    let after = snapshot(&site);
    assert_eq!(after.len(), original.len(), "files were added or removed");
    for (path, bytes) in &original {
        assert!(after[path] == *bytes, "{path} differs from the original");
    }

    // A second run finds nothing and writes nothing.
    let again = sitegen(&site, &["fix"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout, "");
    assert!(again.stderr.contains("nothing to fix"), "{}", again.stderr);
    assert!(snapshot(&site) == original);
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing_then_fix_is_idempotent() {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    let nudged = snapshot(&site);

    let dry = sitegen(&site, &["fix", "--dry-run"]);
    // Applying the fix would leave no error.
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .starts_with("--- a/content/spark.md\n+++ b/content/spark.md\n@@ "),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout.contains(
            "\n-The Spark reads memory at [275 GB/s](cite:devices.dgx_spark.memory_bandwidth),\n+The Spark reads memory at [273 GB/s](cite:devices.dgx_spark.memory_bandwidth),\n"
        ),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stderr.contains("would fix 1 problem in 1 file"),
        "{}",
        dry.stderr
    );
    assert!(snapshot(&site) == nudged, "--dry-run wrote something");

    let run = sitegen(&site, &["fix"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, dry.stdout, "the dry run showed another diff");
    assert!(read(&site, "content/spark.md").contains("[273 GB/s](cite:"));
    let fixed = snapshot(&site);

    for args in [&["fix"][..], &["fix", "--dry-run"]] {
        let again = sitegen(&site, args);
        assert_eq!(again.code, 0, "{args:?}: {}", again.stderr);
        assert_eq!(again.stdout, "", "{args:?}");
        assert!(snapshot(&site) == fixed, "{args:?} changed the site");
    }
    assert_eq!(sitegen(&site, &["check", "--strict"]).code, 0);
}

#[test]
fn literals_in_code_spans_and_code_blocks_are_left_alone() {
    let site = fixture("basic");
    let path = "content/spark.md";
    let text = read(&site, path);
    let code = "\nIn code, `[275 GB/s](cite:devices.dgx_spark.memory_bandwidth)` stays.\n\n```markdown\n[275 GB/s](cite:devices.dgx_spark.memory_bandwidth)\n```\n\n    [275 GB/s](cite:devices.dgx_spark.memory_bandwidth)\n";
    let with_code = format!("{text}{code}");
    // One drifting prose citation too, so that fix has something to do.
    write(
        &site,
        path,
        &with_code.replacen("[273 GB/s]", "[275 GB/s]", 1),
    );
    let run = sitegen(&site, &["fix"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("fixed 1 problem in 1 file"),
        "{}",
        run.stderr
    );
    // Only the prose literal changed: the code is as written, drift and all.
    assert_eq!(read(&site, path), with_code);
}

#[test]
fn uncited_figures_are_wrapped_only_with_uncited_and_only_when_one_key_agrees() {
    let site = fixture("basic");
    let path = "content/loose.md";
    let text = "---\ntitle: Loose\ndate: 2026-05-01\n---\n\nIt reads at 273 GB/s from memory.\nIts rival draws 999 W.\nSee [273 GB/s](https://example.org/spec) and `273 GB/s`.\n";
    write(&site, path, text);
    let warned = sitegen(&site, &["check"]);
    assert_eq!(warned.code, 0, "{}", warned.stderr);
    assert_eq!(
        warned
            .diagnostics()
            .iter()
            .filter(|l| l.starts_with("warning[uncited]"))
            .count(),
        3,
        "{}",
        warned.stderr
    );

    // Without --uncited, warnings are not fixed: nothing to do, exit 0 (no error left).
    let plain = sitegen(&site, &["fix"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    assert_eq!(plain.stdout, "");
    assert_eq!(read(&site, path), text);

    let run = sitegen(&site, &["fix", "--uncited"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("fixed 1 problem in 1 file"),
        "{}",
        run.stderr
    );
    // The figure one key agrees with is cited; the one no key agrees with, the link's
    // text (a citation there would nest links) and the code span are as they were.
    assert_eq!(
        read(&site, path),
        text.replacen(
            "at 273 GB/s from",
            "at [273 GB/s](cite:devices.dgx_spark.memory_bandwidth) from",
            1
        )
    );
    let after = sitegen(&site, &["check"]);
    let left: Vec<&str> = after.diagnostics();
    assert_eq!(left.len(), 2, "{}", after.stderr);
    assert!(left.iter().any(|l| l.contains("\"999 W\"")), "{left:?}");
    assert!(left.iter().any(|l| l.contains(":8:6:")), "{left:?}");
    assert_eq!(sitegen(&site, &["fix", "--uncited"]).stdout, "");
}

#[test]
fn errors_without_a_fix_are_left_and_exit_1() {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    edit(
        &site,
        "content/spark.md",
        "(cite:devices.dgx_spark.launch_price)",
        "(cite:devices.dgx_spark.launch_prize)",
    );
    let run = sitegen(&site, &["fix"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(read(&site, "content/spark.md").contains("[273 GB/s]"));
    let left = run.diagnostics();
    assert_eq!(left.len(), 1, "{}", run.stderr);
    assert!(left[0].starts_with("error[unknown-key]"), "{left:?}");
    assert!(
        run.stderr.contains("fixed 1 problem in 1 file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_citation_commonmark_did_not_read_is_wrapped_in_angle_brackets() {
    let site = fixture("basic");
    edit(
        &site,
        "content/spark.md",
        "(<cite:devices.dgx_spark.memory_bandwidth / devices.mac_studio_m3_ultra.memory_bandwidth>)",
        "(cite:devices.dgx_spark.memory_bandwidth / devices.mac_studio_m3_ultra.memory_bandwidth)",
    );
    let original = read(&common::fixture("basic"), "content/spark.md");
    let run = sitegen(&site, &["fix"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&site, "content/spark.md"), original);
}

#[test]
fn usage_errors_exit_2() {
    let site = fixture("basic");
    let json = sitegen(&site, &["--format", "json", "fix"]);
    assert_eq!(json.code, 2, "{}", json.stderr);
    assert_eq!(sitegen(&site, &["fix", "--no-such-flag"]).code, 2);
}

/// The fixture checked in process, with its diagnostics.
fn checked(root: &Path) -> (sitegen::check::site::Site, Diagnostics) {
    let (site, diags) = check_site(root, CheckOptions::default());
    (site.expect("the site loads"), diags)
}

#[test]
fn a_file_changed_on_disk_after_the_check_is_refused_and_left_untouched() {
    let site = fixture("basic");
    edit(&site, "content/spark.md", "[273 GB/s]", "[275 GB/s]");
    let (model, diags) = checked(&site);
    let plan = sitegen::cli::plan_fixes(&model, &diags, false);
    assert_eq!(plan.files.len(), 1);
    let f = &plan.files[0];
    assert_eq!(f.path, "content/spark.md");
    assert!(f.fixed.contains("[273 GB/s]") && !f.fixed.contains("[275 GB/s]"));

    // The author saves the file between the check and the write.
    let saved = format!("{}\nA new paragraph.\n", read(&site, &f.path));
    write(&site, &f.path, &saved);
    let err = sitegen::cli::write_fixed(&site, f).expect_err("a changed file is refused");
    assert_eq!(err.code, "fix");
    assert!(err.message.contains("changed on disk"), "{}", err.message);
    assert_eq!(read(&site, &f.path), saved, "the refused file was touched");
    let names: Vec<String> = std::fs::read_dir(site.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".sitegen-fix")),
        "a temporary file was left: {names:?}"
    );

    // Unchanged, the same fix is written, keeping the file's permissions.
    write(&site, &f.path, &f.original);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = site.join(&f.path);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    sitegen::cli::write_fixed(&site, f).expect("an unchanged file is written");
    assert_eq!(read(&site, &f.path), f.fixed);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(site.join(&f.path))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}

#[test]
fn a_fix_whose_range_is_in_front_matter_code_or_outside_the_file_is_refused() {
    let site = fixture("basic");
    let (model, _) = checked(&site);
    let page = model
        .pages
        .iter()
        .find(|p| p.article.path == "content/spark.md")
        .unwrap();
    let text = &page.article.source;
    let at = |needle: &str| {
        let i = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
        (i, i + needle.len())
    };
    let fake = |(s, e): (usize, usize)| {
        Diagnostic::error("drift", Span::at_offset("content/spark.md", text, s), "x")
            .with_suggestion("1 GB/s")
            .with_bytes(s, e)
    };
    let mut diags = Diagnostics::new();
    diags.push(fake(at("The Spark in numbers")));
    diags.push(fake(at("999 GB/s")));
    diags.push(fake((text.len() - 2, text.len() + 5)));
    let plan = sitegen::cli::plan_fixes(&model, &diags, false);
    assert!(plan.files.is_empty(), "{:?}", plan.files);
    let why: Vec<String> = plan
        .skipped
        .sorted()
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(why.len(), 3, "{why:?}");
    assert!(
        why.iter().any(|m| m.ends_with("lies in the front matter")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|m| m.ends_with("lies in code or raw HTML")),
        "{why:?}"
    );
    assert!(
        why.iter().any(|m| m.ends_with("lies outside the file")),
        "{why:?}"
    );
    assert!(plan.skipped.iter().all(|d| d.code == "fix"));

    // Two fixes over the same text: the first is applied, the other reported.
    let (s, e) = at("273 GB/s");
    let mut diags = Diagnostics::new();
    diags.push(fake((s, e)));
    diags.push(fake((s + 1, e)).with_suggestion("2 GB/s"));
    let plan = sitegen::cli::plan_fixes(&model, &diags, false);
    assert_eq!(plan.files.len(), 1);
    assert!(plan.files[0]
        .fixed
        .contains("[1 GB/s](cite:devices.dgx_spark.memory_bandwidth)"));
    assert_eq!(plan.skipped.errors(), 1);
}

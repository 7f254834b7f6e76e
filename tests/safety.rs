//! Safe by default (issue 15): sitegen never destroys an author's files, never skips one
//! silently, and never publishes what the author did not mean to run in a reader's browser.

mod common;
use common::*;
use std::path::Path;

/// Every file under `dir` (names only), to show that nothing was touched.
fn listing(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

// Item 1: the output guard.

#[test]
fn build_refuses_to_replace_the_site_or_its_source_folders() {
    let site = fixture("basic");
    let before = snapshot(&site);
    for out in [
        ".",
        "..",
        "content",
        "content/guides",
        "data",
        "assets",
        "templates/x",
    ] {
        let run = sitegen(&site, &["build", "--out", out, "--force"]);
        assert_eq!(run.code, 2, "--out {out}: {}", run.stderr);
        assert!(
            run.stderr.contains("error[output]: "),
            "--out {out}: {}",
            run.stderr
        );
        assert_eq!(snapshot(&site), before, "--out {out} touched the site");
    }
    // --root S --out S from elsewhere, and pdf alike.
    let parent = site.parent().unwrap();
    let name = site.file_name().unwrap().to_str().unwrap();
    let run = sitegen(parent, &["build", "--root", name, "--out", name]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = sitegen(&site, &["pdf", "--out", "data"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(snapshot(&site), before);
}

#[test]
fn build_refuses_a_folder_it_did_not_write_unless_forced() {
    let site = fixture("basic");
    write(&site, "elsewhere/notes.txt", "mine");
    let run = sitegen(&site, &["build", "--out", "elsewhere"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(read(&site, "elsewhere/notes.txt"), "mine");
    // Its own output is replaced without asking, again and again.
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    assert!(site.join("public/.sitegen-output").is_file());
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // An empty folder is fine; --force replaces a foreign one.
    std::fs::create_dir_all(site.join("empty")).unwrap();
    assert_eq!(sitegen(&site, &["build", "--out", "empty"]).code, 0);
    let run = sitegen(&site, &["build", "--out", "elsewhere", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join("elsewhere/notes.txt").exists());
    assert!(site.join("elsewhere/spark/index.html").is_file());
}

// Item 2: the swap, and what killed builds leave behind.

#[test]
fn the_next_build_removes_temporaries_of_dead_builds_only() {
    let site = fixture("basic");
    assert_eq!(sitegen(&site, &["build"]).code, 0);
    // A process that has ended: its id names the leftovers of a killed build.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    child.wait().unwrap();
    let dead = child.id();
    let live = std::process::id(); // this test runs: its temporaries are not touched
    for name in [
        format!(".public.tmp-{dead}"),
        format!(".public.old-{dead}"),
        format!(".public.tmp-{live}"),
    ] {
        write(&site, &format!("{name}/index.html"), "half");
    }
    write(&site, &format!("gated/.x.pdf.tmp-{dead}"), "half");
    write(&site, "gated/.sitegen-output", "");
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join(format!(".public.tmp-{dead}")).exists());
    assert!(!site.join(format!(".public.old-{dead}")).exists());
    assert!(site.join(format!(".public.tmp-{live}")).exists());
    assert!(site.join("public/spark/index.html").is_file());
    let run = sitegen(&site, &["pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.join(format!("gated/.x.pdf.tmp-{dead}")).exists());
    // Nothing else is left beside public/.
    let mut left: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    left.sort();
    assert_eq!(left, vec![format!(".public.tmp-{live}")]);
}

// Item 6: `new --dir` stays inside content/.

#[test]
fn new_refuses_a_dir_outside_content() {
    let site = fixture("basic");
    for dir in ["../../x", "../x", "/tmp/x", "guides/../../x"] {
        let run = sitegen(&site, &["new", "Escape", "--dir", dir]);
        assert_eq!(run.code, 1, "--dir {dir}: {}", run.stderr);
        assert!(run.stderr.contains("error[new]"), "{}", run.stderr);
        assert!(run.stderr.contains("inside content/"), "{}", run.stderr);
    }
    assert!(!site.join("x").exists() && !site.parent().unwrap().join("x").exists());
    #[cfg(unix)]
    {
        let outside = temp_dir("outside");
        std::os::unix::fs::symlink(&outside, site.join("content/link")).unwrap();
        let run = sitegen(&site, &["new", "Escape", "--dir", "link/sub"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(listing(&outside).is_empty());
    }
    let run = sitegen(&site, &["new", "Fine", "--dir", "guides/deeper"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.join("content/guides/deeper/fine.md").is_file());
}

// Item 3: limits before reading.

#[test]
fn a_huge_file_is_refused_from_its_size_without_reading_it() {
    let site = fixture("basic");
    // A sparse file of 64 GiB: reading it would take minutes and all memory.
    let f = std::fs::File::create(site.join("content/huge.md")).unwrap();
    f.set_len(64 << 30).unwrap();
    let t = std::time::Instant::now();
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[content]: content/huge.md:1:1: file is 68719476736 bytes, over limits.max_file_bytes"
        ),
        "{}",
        run.stderr
    );
    assert!(t.elapsed().as_secs() < 10, "took {:?}", t.elapsed());
}

// Item 4: nothing skipped silently.

#[cfg(unix)]
#[test]
fn special_files_odd_names_and_outside_links_are_named() {
    use std::os::unix::ffi::OsStrExt;
    let site = fixture("basic");
    let fifo = site.join("content/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let odd = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(site.join("data").join(odd), "x: 1\n").unwrap();
    let outside = temp_dir("outside");
    write(&outside, "x.md", "---\ntitle: X\ndate: 2026-01-01\n---\n");
    std::os::unix::fs::symlink(outside.join("x.md"), site.join("content/x.md")).unwrap();
    std::os::unix::fs::symlink("guides", site.join("content/inside")).unwrap();
    std::os::unix::fs::symlink(site.join("sitegen.toml"), site.join("assets/config.txt")).unwrap();
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l.starts_with("error[content]: content/pipe.md:1:1: is a FIFO")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l
                .starts_with("error[data]: data/caf\\xE9.yaml:1:1: file name is not valid UTF-8")),
        "{d:?}"
    );
    assert!(
        d.iter().any(
            |l| l.starts_with("warning[content]: content/x.md:1:1: symbolic link to ")
                && l.contains("outside the site root")
        ),
        "{d:?}"
    );
    // A link inside the site is followed.
    std::fs::remove_file(&fifo).unwrap();
    std::fs::remove_file(site.join("data").join(odd)).unwrap();
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.join("public/inside/other/index.html").is_file());
    assert!(!site.join("public/x/index.html").exists());
    // An asset is published as it is: a link out of assets/ is not followed.
    assert!(!site.join("public/config.txt").exists());
    assert!(
        run.stderr
            .contains("warning[assets]: assets/config.txt:1:1: symbolic link to "),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_data_folder_is_an_error_not_a_smaller_dataset() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture("basic");
    write(
        &site,
        "data/sub/more.yaml",
        "x:\n  value: 1 GB\n  source: https://example.com\n",
    );
    std::fs::set_permissions(
        site.join("data/sub"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Root reads any folder: run as nobody then (`sitegen check` writes nothing).
    let bin = env!("CARGO_BIN_EXE_sitegen");
    let mut cmd = if running_as_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd
        .arg("check")
        .current_dir(&site)
        .output()
        .expect("setpriv (util-linux) runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    std::fs::set_permissions(
        site.join("data/sub"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[data]: data/sub:1:1: cannot read folder: Permission denied"),
        "{stderr}"
    );
}

/// Whether this test runs as root (which reads unreadable folders).
fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

// Item 5: collisions are errors naming both sources.

#[test]
fn two_sources_of_one_output_are_errors() {
    let site = fixture("basic");
    let article = |title: &str, extra: &str| {
        format!("---\ntitle: {title}\ndate: 2026-01-01\n{extra}---\n\nText.\n")
    };
    write(&site, "content/t.md", &article("T", "slug: tags\n"));
    write(&site, "content/n.md", &article("N", "slug: \"404.html\"\n"));
    write(&site, "assets/spark/index.html", "<p>mine</p>");
    write(&site, "content/a.md", &article("A", "tags: [a/b]\n"));
    write(&site, "content/b.md", &article("B", "tags: [A B, x, X]\n"));
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    let has = |start: &str, part: &str| d.iter().any(|l| l.starts_with(start) && l.contains(part));
    assert!(
        has(
            "error[collision]: content/t.md:1:1: publishes at /tags/",
            "generated /tags/index.html"
        ),
        "{d:?}"
    );
    assert!(
        has(
            "error[collision]: assets/spark/index.html:1:1: writes /spark/index.html",
            "content/spark.md"
        ),
        "{d:?}"
    );
    assert!(
        has(
            "error[tag]: content/b.md:",
            "tag `A B` makes the URL /tags/a-b/ of tag `a/b` (content/a.md)"
        ),
        "{d:?}"
    );
    assert!(
        has(
            "error[tag]: content/b.md:",
            "tags `x` and `X` both make /tags/x/"
        ),
        "{d:?}"
    );
}

// Item 9: PDF input stays linear.

#[test]
fn pathological_markdown_is_refused_quickly_and_deep_nesting_keeps_its_words() {
    let site = fixture("basic");
    let head = "---\ntitle: Patho\ndate: 2026-01-01\n---\n\n";
    write(
        &site,
        "content/patho.md",
        &format!("{head}Fine.\n\n{}\n", "[a](".repeat(100_000)),
    );
    let t = std::time::Instant::now();
    let run = sitegen(&site, &["pdf", "patho"]);
    assert!(t.elapsed().as_secs() < 10, "took {:?}", t.elapsed());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[pdf]: content/patho.md:8:1: this paragraph holds 200000 escaped characters and Typst calls; the PDF allows at most 10000"),
        "{}",
        run.stderr
    );
    let mut nested = String::new();
    for depth in 0..30 {
        nested.push_str(&format!("{}- item{depth}\n", "  ".repeat(depth)));
    }
    write(&site, "content/patho.md", &format!("{head}{nested}"));
    let run = sitegen(&site, &["pdf", "patho", "--emit-typst"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let body = read(&site, "gated/patho.typst/body.typ");
    assert!(!body.contains("item20item21"), "{body}");
    for depth in 0..30 {
        assert!(body.contains(&format!("item{depth}")), "{body}");
    }
}

// Item 7: Markdown safety.

#[test]
fn unsafe_urls_are_errors_and_raw_html_is_sanitized_with_a_warning() {
    let site = fixture("basic");
    let head = "---\ntitle: Raw\ndate: 2026-01-01\n---\n\n";
    write(
        &site,
        "content/raw.md",
        &format!(
            "{head}[x](javascript:alert(1)) and ![y](data:text/html,hi) and [z](JaVaScRiPt:x)\n"
        ),
    );
    let run = sitegen(&site, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = run.diagnostics();
    assert!(
        d.iter()
            .any(|l| l
                .starts_with("error[unsafe-url]: content/raw.md:6:1: link `javascript:alert(1)`")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|l| l
                .starts_with("error[unsafe-url]: content/raw.md:6:30: image `data:text/html,hi`")),
        "{d:?}"
    );
    assert_eq!(
        d.iter()
            .filter(|l| l.starts_with("error[unsafe-url]"))
            .count(),
        3,
        "{d:?}"
    );

    let body = "<details><summary>More</summary>Press <kbd>Ctrl</kbd>+<sup>2</sup>.</details>\n\n\
<script>alert(1)</script>\n\n\
Inline <iframe src=\"javascript:alert(2)\"></iframe> and <img src=\"x.png\" onerror=\"alert(3)\"> end.\n\n\
The Spark reads memory at [273 GB/s](cite:devices.dgx_spark.memory_bandwidth).\n\n\
![dot](data:image/png;base64,iVBORw0KGgo=)\n\n\
```rust\nfn main() {}\n```\n";
    write(&site, "content/raw.md", &format!("{head}{body}"));
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = run.diagnostics();
    assert!(d.iter().any(|l| l.starts_with("warning[raw-html]: content/raw.md:8:1: raw HTML removed from the published page: <script>")), "{d:?}");
    assert!(d.iter().any(|l| l.starts_with("warning[raw-html]: content/raw.md:10:8: raw HTML removed from the published page: <iframe>")), "{d:?}");
    assert!(
        d.iter()
            .any(|l| l.starts_with("warning[raw-html]: content/raw.md:10:")
                && l.contains("the onerror attribute of <img>")),
        "{d:?}"
    );
    assert!(
        !d.iter().any(|l| l.contains("content/raw.md:6:")),
        "harmless markup is no warning: {d:?}"
    );
    let page = read(&site, "public/raw/index.html");
    let main = &page[page.find("<details>").expect("details kept")..];
    for kept in [
        "<summary>More</summary>",
        "<kbd>Ctrl</kbd>",
        "<sup>2</sup>",
        "src=\"x.png\"",
        "data:image/png;base64",
    ] {
        assert!(main.contains(kept), "{kept} kept:\n{main}");
    }
    for gone in ["alert(1)", "alert(2)", "alert(3)", "<iframe", "onerror"] {
        assert!(!page.contains(gone), "{gone} removed:\n{page}");
    }
    // sitegen's own markup survives: the citation and the highlighted code.
    assert!(main.contains("273 GB/s") && main.contains("fn"), "{main}");
    assert!(!main.contains('\u{F8F0}'), "no placeholder left:\n{main}");

    // Trusted: published as written, no warning.
    let config = read(&site, "sitegen.toml");
    write(
        &site,
        "sitegen.toml",
        &format!("{config}\n[markdown]\nraw_html = \"trusted\"\n"),
    );
    let run = sitegen(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("raw-html"), "{}", run.stderr);
    assert!(read(&site, "public/raw/index.html").contains("<script>alert(1)</script>"));
}

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

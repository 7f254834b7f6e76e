//! Parses every file under the given folders whose extension a default syntax claims (at
//! most `CAP` files per extension, 3,000 lines each) and prints one line per file: path,
//! syntax, a hash of every line's scope operations, and the parse error if any.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use syntect::parsing::{ParseState, SyntaxSet};

fn main() {
    let ss = SyntaxSet::load_defaults_newlines();
    let mut per_ext: HashMap<String, usize> = HashMap::new();
    let cap: usize = std::env::var("CAP").ok().and_then(|c| c.parse().ok()).unwrap_or(200);
    let mut files = Vec::new();
    for root in std::env::args().skip(1) {
        for e in walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().flatten() {
            if !e.file_type().is_file() { continue; }
            let p = e.path();
            let Some(ext) = p.extension().and_then(|x| x.to_str()) else { continue };
            if ss.find_syntax_by_extension(ext).is_none() { continue; }
            let n = per_ext.entry(ext.to_string()).or_default();
            if *n >= cap { continue; }
            *n += 1;
            files.push(p.to_path_buf());
        }
    }
    let t = std::time::Instant::now();
    let mut lines_total = 0;
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else { continue };
        let ext = p.extension().unwrap().to_str().unwrap();
        let syn = ss.find_syntax_by_extension(ext).unwrap();
        let mut st = ParseState::new(syn);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        let mut err = String::new();
        for line in text.split_inclusive('\n').take(3000) {
            lines_total += 1;
            match st.parse_line(line, &ss) {
                Ok(ops) => format!("{ops:?}").hash(&mut h),
                Err(e) => { err = format!("{e}"); break; }
            }
        }
        println!("{}\t{}\t{:016x}\t{}", p.display(), syn.name, h.finish(), err);
    }
    eprintln!("{} files, {} lines, {:?}; per extension: {:?}", files.len(), lines_total, t.elapsed(), per_ext);
}

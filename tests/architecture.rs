//! The house rules of ARCHITECTURE.md, checked on the source itself.
//!
//! - A module imports only from its own stage, from stages before it, and from the ground
//!   (`model`, `error`); `model` imports no stage at all.
//! - No file under `src/` is over 600 lines, and no function over 60.
//!
//! The checks read `src/**/*.rs` as text, with comments, strings and character literals blanked
//! first, so a path in a doc comment or a brace in a string never counts.

use std::path::{Path, PathBuf};

/// The stages in the order data flows through them; a module may import from its own rank or a
/// lower one. The ground (rank 0) imports nothing but the ground.
const STAGES: &[(&str, u8)] = &[
    ("model", 0),
    ("error", 0),
    ("harmonise", 1),
    ("ingest", 2),
    ("stats", 3),
    ("findings", 4),
    ("outcomes", 5),
    ("render", 6),
    ("report", 7),
    ("config", 8),
    ("pipeline", 9),
    ("cli", 10),
];

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 60;

fn rank(stage: &str) -> Option<u8> {
    STAGES.iter().find(|(s, _)| *s == stage).map(|(_, r)| *r)
}

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// `src/ingest/tidy.rs` -> `ingest`; `src/config.rs` -> `config`; the crate root -> `None`.
fn stage_of(path: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap();
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    let stage = first.trim_end_matches(".rs").to_string();
    (!matches!(stage.as_str(), "lib" | "main")).then_some(stage)
}

/// The text with every comment, string literal and character literal replaced by spaces
/// (new lines kept, so line numbers hold).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && !ident_before(&chars, i) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let start = i + 2 + hashes;
            let rest: String = chars[start..].iter().collect();
            let len = rest.find(&close).map_or(rest.len(), |p| p + close.len());
            let end = start + rest[..len].chars().count();
            for &ch in &chars[i..end.min(chars.len())] {
                out.push(blank(ch));
            }
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                let skip = if chars[i] == '\\' { 2 } else { 1 };
                for &ch in chars.iter().skip(i).take(skip) {
                    out.push(blank(ch));
                }
                i += skip;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            let len = if next == Some('\\') {
                chars[i + 2..].iter().position(|&ch| ch == '\'').unwrap() + 3
            } else {
                3
            };
            out.extend(std::iter::repeat_n(' ', len));
            i += len;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// `'x'` or `'\n'`, as opposed to a lifetime `'a`.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// Every stage a file's code names through `crate::<stage>` (or a `crate::{a, b}` group), with
/// its line.
fn imports(code: &str) -> Vec<(usize, String)> {
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let after = &code[at + "crate::".len()..];
        if !after.starts_with('{') {
            out.push((line_of(at), ident(after)));
            continue;
        }
        // The names at the group's top level: after its `{` and after each `,` at depth 1.
        let mut depth = 0;
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            if depth == 1 && (c == ',' || (c == '{' && i == 0)) {
                let name = ident(&after[i + 1..]);
                if !name.is_empty() {
                    out.push((line_of(at), name));
                }
            }
        }
    }
    out
}

/// The breaches of the import rule in one file: `file:line: stage imports other`.
fn breaches(path: &Path, code: &str) -> Vec<String> {
    let Some(stage) = stage_of(path) else {
        return Vec::new();
    };
    let Some(own) = rank(&stage) else {
        return vec![format!("{}: `{stage}` is not a stage", path.display())];
    };
    imports(code)
        .into_iter()
        .filter_map(|(line, target)| {
            let Some(theirs) = rank(&target) else {
                return Some(format!(
                    "{}:{line}: `crate::{target}` is not a stage or the ground",
                    path.display()
                ));
            };
            let wrong = if own == 0 { theirs != 0 } else { theirs > own };
            wrong.then(|| format!("{}:{line}: {stage} imports {target}", path.display()))
        })
        .collect()
}

#[test]
fn modules_import_only_from_their_own_stage_earlier_stages_and_the_ground() {
    let mut all = Vec::new();
    for path in sources() {
        let code = code_only(&std::fs::read_to_string(&path).unwrap());
        all.extend(breaches(&path, &code));
    }
    assert!(
        all.is_empty(),
        "{} imports break the one-way flow:\n{}",
        all.len(),
        all.join("\n")
    );
}

#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(&p).unwrap().lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// Every `fn` with a body: its name, first line and number of lines (signature to closing brace).
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(name) = fn_name(line) else { continue };
        let (mut depth, mut opened) = (0i64, false);
        'scan: for (offset, l) in lines[start..].iter().enumerate() {
            for c in l.chars() {
                match c {
                    ';' if !opened && depth == 0 => break 'scan,
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
                if opened && depth == 0 {
                    out.push((name.clone(), start + 1, offset + 1));
                    break 'scan;
                }
            }
        }
    }
    out
}

/// The name in a line that starts a function item (`pub(crate) const fn name`, `fn name<T>(`).
fn fn_name(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "fn")?;
    let before_ok = words[..at].iter().all(|w| {
        w.starts_with("pub") || matches!(*w, "const" | "async" | "unsafe" | "extern" | "default")
    });
    let name: String = words
        .get(at + 1)?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (before_ok && !name.is_empty()).then_some(name)
}

#[test]
fn no_function_is_over_60_lines() {
    let mut long = Vec::new();
    for path in sources() {
        let code = code_only(&std::fs::read_to_string(&path).unwrap());
        for (name, line, len) in functions(&code) {
            if len > MAX_FN_LINES {
                long.push(format!("{}:{line}: fn {name}: {len} lines", path.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The checks themselves, on small cases whose answers are known.
#[test]
fn the_checks_see_what_they_should() {
    let code =
        code_only("// crate::cli in a comment\nlet s = \"crate::cli\";\nuse crate::model::X;\n");
    assert_eq!(imports(&code), vec![(3, "model".to_string())]);
    let both = code_only("use crate::{\n    model::{A, B},\n    stats::C,\n};\n");
    let names: Vec<String> = imports(&both).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["model", "stats"]);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let back = breaches(&src.join("model/x.rs"), "use crate::ingest::Y;\n");
    assert_eq!(back.len(), 1, "the ground may not import a stage");
    let up = breaches(&src.join("stats/x.rs"), "use crate::render::Y;\n");
    assert_eq!(up.len(), 1, "stats may not import render");
    assert!(breaches(&src.join("render/x.rs"), "use crate::stats::Y;\n").is_empty());
    let f = "fn a() {\n    let b = '{';\n    let s = \"}}\";\n}\nfn decl();\n";
    assert_eq!(functions(&code_only(f)), vec![("a".to_string(), 1, 4)]);
    assert_eq!(
        fn_name("    pub(crate) const fn x<T>(t: T) {"),
        Some("x".into())
    );
    assert_eq!(fn_name("let f = |x| x; // fn y"), None);
    let raw = code_only("let r = r#\"crate::cli\"#; let life: &'a str;\n");
    assert!(imports(&raw).is_empty() && raw.contains("'a"));
}

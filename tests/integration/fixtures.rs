//! Fixtures as `basic` plus edits. A fixture directory that holds an
//! `overlay.txt` is its base fixture (`base: NAME`) with the files beside
//! overlay.txt laid over it, less each `remove: PATH` of the base. The
//! tests see such a fixture made whole, once for each content, under
//! target/tmp; tests/pdf-checks.sh makes it the same way. These tests
//! check the making, and that no overlay keeps a byte copy of its base's
//! file (the copies this replaced drifted apart unnoticed).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use sha2::{Digest, Sha256};

use crate::common::root;

/// The file that makes a fixture an overlay of another.
const OVERLAY: &str = "overlay.txt";

/// A fixture's files: path relative to the fixture, and where to read it.
type Files = BTreeMap<PathBuf, PathBuf>;

/// A fixture's directory as the tests see it: tests/fixtures/NAME itself,
/// or, for an overlay, the fixture made whole (once per process, and kept
/// under target/tmp for as long as its content is the same).
pub fn dir(name: &str) -> PathBuf {
    static MADE: OnceLock<Mutex<BTreeMap<String, PathBuf>>> = OnceLock::new();
    let mut made = MADE.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
    let kept = root().join("tests/fixtures");
    let made_dir = made.entry(name.to_string()).or_insert_with(|| match files(&kept, name) {
        Some(files) => made_whole(name, &files),
        None => kept.join(name),
    });
    made_dir.clone()
}

/// The files of fixture `name` under `fixtures`, if it is an overlay: its
/// base's (itself made whole if an overlay), less those removed, with the
/// overlay's own laid over them.
fn files(fixtures: &Path, name: &str) -> Option<Files> {
    let dir = fixtures.join(name);
    let spec = std::fs::read_to_string(dir.join(OVERLAY)).ok()?;
    let mut base = None;
    let mut removed = Vec::new();
    for line in spec.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        match line.split_once(':').map(|(k, v)| (k.trim(), v.trim())) {
            Some(("base", value)) => base = Some(value.to_string()),
            Some(("remove", value)) => removed.push(PathBuf::from(value)),
            _ => panic!("{}: not `base: NAME` or `remove: PATH`: {line:?}", dir.display()),
        }
    }
    let base = base.unwrap_or_else(|| panic!("{}: no `base: NAME`", dir.display()));
    let mut all = files(fixtures, &base).unwrap_or_else(|| walk(&fixtures.join(&base)));
    for path in removed {
        assert!(all.remove(&path).is_some(), "{name}: removes {path:?}, which {base} lacks");
    }
    all.extend(walk(&dir).into_iter().filter(|(relative, _)| relative != Path::new(OVERLAY)));
    Some(all)
}

/// Every file under `dir`, by its path relative to `dir`.
fn walk(dir: &Path) -> Files {
    let mut out = Files::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(relative) = todo.pop() {
        for entry in std::fs::read_dir(dir.join(&relative)).unwrap() {
            let entry = entry.unwrap();
            let path = relative.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                todo.push(path);
            } else {
                out.insert(path, entry.path());
            }
        }
    }
    out
}

/// The fixture made whole in target/tmp/fixtures/NAME-HASH, a directory
/// named by its content: made once (in a temporary directory renamed into
/// place, so that test runs side by side never see half of one) and
/// reused while the fixture is unchanged.
fn made_whole(name: &str, files: &Files) -> PathBuf {
    let mut hash = Sha256::new();
    for (relative, from) in files {
        hash.update(relative.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(std::fs::read(from).unwrap());
        hash.update([0]);
    }
    let hex: String = hash.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
    let parent = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures");
    let dir = parent.join(format!("{name}-{hex}"));
    if !dir.is_dir() {
        std::fs::create_dir_all(&parent).unwrap();
        let making = tempfile::Builder::new().prefix(".making-").tempdir_in(&parent).unwrap();
        lay_out(files, making.path());
        // Another process may have made it meanwhile: theirs is the same.
        if std::fs::rename(making.path(), &dir).is_ok() {
            let _ = making.keep();
        }
    }
    dir
}

/// Copies each file to its place under `into`.
fn lay_out(files: &Files, into: &Path) {
    for (relative, from) in files {
        let to = into.join(relative);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// The names of the fixtures that are overlays.
fn overlays() -> Vec<String> {
    let kept = root().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| kept.join(name).join(OVERLAY).is_file())
        .collect();
    names.sort();
    names
}

#[test]
fn no_overlay_keeps_a_copy_of_its_base_s_file() {
    let kept = root().join("tests/fixtures");
    let names = overlays();
    assert_eq!(names, ["broken-findings", "broken-project", "meeting"]);
    for name in names {
        let base = dir("basic");
        for (relative, own) in walk(&kept.join(&name)) {
            let theirs = base.join(&relative);
            let same =
                theirs.is_file() && std::fs::read(&theirs).unwrap() == std::fs::read(&own).unwrap();
            assert!(!same, "{name}/{} is a copy of basic's: remove it", relative.display());
        }
    }
}

#[test]
fn an_overlay_is_its_base_with_its_own_files_laid_over() {
    let made = dir("meeting");
    assert_ne!(made, root().join("tests/fixtures/meeting"), "made whole elsewhere");
    assert_eq!(dir("meeting"), made, "once");
    let (basic, own) = (walk(&dir("basic")), walk(&root().join("tests/fixtures/meeting")));
    let whole = walk(&made);
    for (relative, path) in &whole {
        let from = own.get(relative).or_else(|| basic.get(relative));
        let from = from.unwrap_or_else(|| panic!("{} comes from nowhere", relative.display()));
        assert_eq!(std::fs::read(path).unwrap(), std::fs::read(from).unwrap(), "{relative:?}");
    }
    let expected: std::collections::BTreeSet<&PathBuf> =
        basic.keys().chain(own.keys().filter(|p| *p != Path::new(OVERLAY))).collect();
    assert_eq!(whole.keys().collect::<std::collections::BTreeSet<_>>(), expected);
    assert!(whole.contains_key(Path::new("data/meetings.yaml")), "the overlay's own file");
    assert!(whole.contains_key(Path::new("data/themes.yaml")), "the base's file");
}

/// `remove:` leaves a base file out, and one the base lacks is an error;
/// an overlay may itself be a base.
#[test]
fn remove_leaves_a_base_file_out() {
    let kept = tempfile::tempdir().unwrap();
    let write = |relative: &str, text: &str| {
        let path = kept.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("base/data/a.yaml", "a");
    write("base/data/b.yaml", "b");
    write("less/overlay.txt", "# b goes\nbase: base\nremove: data/b.yaml\n");
    write("less/data/c.yaml", "c");
    write("more/overlay.txt", "base: less\n");
    write("more/data/a.yaml", "another a");
    let listed = |name: &str| -> Vec<String> {
        let files = files(kept.path(), name).unwrap();
        files
            .iter()
            .map(|(r, p)| format!("{}={}", r.display(), std::fs::read_to_string(p).unwrap()))
            .collect()
    };
    assert_eq!(listed("less"), ["data/a.yaml=a", "data/c.yaml=c"]);
    assert_eq!(listed("more"), ["data/a.yaml=another a", "data/c.yaml=c"]);
    assert!(files(kept.path(), "base").is_none(), "not an overlay");
    write("typo/overlay.txt", "base: base\nremove: data/z.yaml\n");
    let typo = std::panic::catch_unwind(|| files(kept.path(), "typo"));
    assert!(typo.is_err(), "removing what the base lacks is an error");
}

//! Stage 5, output: put the PDF in place atomically.
//!
//! The bytes go to a temporary file in the destination's directory, are
//! flushed to disk, and only then renamed over the target. A run that fails
//! or is killed at any moment leaves the previous PDF untouched and no
//! partial file under the target's name; two runs writing the same target
//! each rename a complete file, so the result is one of them, never a mix.
//! (typst-cli's `fs::write` is fine interactively, not for a nightly job.)
//!
//! brief never chooses who may read a book: a new file gets the mode the
//! umask allows (as `fs::write`, `cp` or the typst CLI would give it), a
//! replaced file keeps the mode it had.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `path` atomically, creating the directory if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    create_dir_for(path, dir)?;
    let old = std::fs::metadata(path).ok();
    if old.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(in_the_way(path, "a directory is in the way: the file cannot replace it"));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // tempfile opens with 0600 unless told otherwise; ask for what
    // `fs::write` asks for, which the kernel masks with the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    temp.write_all(bytes).map_err(io)?;
    if let Some(old) = old {
        // A replaced book keeps its mode: a restricted book stays so.
        temp.as_file().set_permissions(old.permissions()).map_err(io)?;
    }
    temp.as_file().sync_all().map_err(io)?;
    // If this fails the temporary file is removed when `temp` drops.
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` in place (not atomically: for files written
/// beside a book for other tools, such as `--emit-typ`), creating the
/// directory if needed. A new file gets the mode the umask allows.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_dir_for(path, dir)?;
    }
    if path.is_dir() {
        return Err(in_the_way(path, "a directory is in the way: the file cannot replace it"));
    }
    std::fs::write(path, bytes).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Creates `dir`, the directory `path` is to be written in, and its
/// parents. When a file stands where a directory must be, the error names
/// that file and says so, rather than the system's "File exists" or "Not
/// a directory".
fn create_dir_for(path: &Path, dir: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| match file_in_the_way(dir) {
        Some(file) => in_the_way(
            &file,
            &format!("a file is in the way: writing `{}` needs a directory here", path.display()),
        ),
        None => Error::Io { path: dir.to_path_buf(), source },
    })
}

/// The nearest existing ancestor of `dir` (or `dir` itself) if it is not a
/// directory.
fn file_in_the_way(dir: &Path) -> Option<PathBuf> {
    let existing = dir.ancestors().find(|a| !a.as_os_str().is_empty() && a.exists())?;
    (!existing.is_dir()).then(|| existing.to_path_buf())
}

fn in_the_way(path: &Path, message: &str) -> Error {
    let kind = if path.is_dir() { ErrorKind::IsADirectory } else { ErrorKind::NotADirectory };
    Error::Io { path: path.to_path_buf(), source: std::io::Error::new(kind, message.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out/book.pdf");
        write_atomic(&target, b"old").unwrap();
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["book.pdf"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("book.pdf");
        std::fs::write(&target, b"old").unwrap();
        // A directory in the way of the rename makes the write fail.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inner")).unwrap();
        let error = write_atomic(&blocked, b"new").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("{}: a directory is in the way: the file cannot replace it", blocked.display())
        );
        assert_eq!(error.exit_code(), 3);
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        let stray: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }

    #[test]
    fn a_file_in_the_way_of_the_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::write(&out, b"not a directory").unwrap();
        for target in [out.join("book.pdf"), out.join("deeper/book.pdf")] {
            let error = write_atomic(&target, b"new").unwrap_err();
            assert_eq!(
                error.to_string(),
                format!(
                    "{}: a file is in the way: writing `{}` needs a directory here",
                    out.display(),
                    target.display()
                )
            );
            assert_eq!(error.exit_code(), 3);
        }
        assert_eq!(std::fs::read(&out).unwrap(), b"not a directory");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("book.pdf");
        std::fs::write(&target, b"old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&target, b"new").unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

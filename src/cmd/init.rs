//! `brief init DIR`: a new project, like `cargo new`: brief.toml with one
//! standing book, a corpus with one commented example of each file shape,
//! and a .gitignore for out/ ([`SCAFFOLD`]). Refuses to overwrite
//! anything: DIR must not exist or be empty.

use std::path::Path;

use crate::error::{Error, Result};
pub use crate::scaffold::SCAFFOLD;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

/// Writes the scaffold into `dir` (created if missing), refusing when it
/// exists and holds anything. Prints the files written on stdout.
pub fn init(dir: &Path) -> Result<()> {
    let files: Vec<(&str, &[u8])> = SCAFFOLD.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    write_new(dir, &files, "brief init")?;
    eprintln!(
        "brief: a new project in {}: `brief check` validates it, `brief build --all` makes out/example.pdf",
        dir.display()
    );
    Ok(())
}

/// `brief templates export DIR`: the shipped templates, for a designer.
pub fn export_templates(dir: &Path) -> Result<()> {
    let files: Vec<(&str, &[u8])> =
        crate::render::world::TEMPLATE_FILES.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    write_new(dir, &files, "brief templates export")?;
    eprintln!(
        "brief: the templates are in {0}: edit any of them (looks are in style.typ) and build with --templates {0}",
        dir.display()
    );
    Ok(())
}

/// Writes `files` into `dir`, which must be new or empty; never replaces a
/// file. Prints each path written.
fn write_new(dir: &Path, files: &[(&str, &[u8])], what: &str) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::Usage(format!(
                    "{}: not empty: `{what}` writes only into an empty or new directory",
                    dir.display()
                )));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(Error::Io { path: dir.to_path_buf(), source }),
    }
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        // `create_new`: never replace a file, even one that appeared since.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io(&path))?;
        std::io::Write::write_all(&mut file, bytes).map_err(io(&path))?;
        super::report::out(path.display());
    }
    Ok(())
}

//! `brief init DIR`: a new project, like `cargo new`: brief.toml with one
//! standing book, a corpus with one commented example of each file shape,
//! and a .gitignore for out/. Refuses to overwrite anything: DIR must not
//! exist or be empty. The scaffold passes `brief check` and builds.

use std::path::Path;

use crate::error::{Error, Result};

/// The scaffold's files: path inside the project, contents.
pub const SCAFFOLD: &[(&str, &str)] = &[
    (".gitignore", "# Books brief writes; rebuild them with `brief build --all`.\nout/\n"),
    (
        "brief.toml",
        r#"# The project file: settings for every book, and the standing books that
# `brief build --all` makes. See the README of brief for every key.

[defaults]
handling = "For meeting use"   # the line on the cover and every page

[[book]]
name = "example"               # written to out/example.pdf
title = "Example briefing book"
themes = ["example"]
"#,
    ),
    (
        "data/themes.yaml",
        r#"# The themes a book can be made about, in book order.
# id: lowercase letters, digits and dashes; title; a one-line description;
# aliases: other names users may type (lowercase).
- id: example
  title: An example theme
  description: What the example findings are about.
  aliases: [sample]
"#,
    ),
    (
        "data/parties.yaml",
        r#"# The sides whose positions the issue matrix records, in column order.
- id: ours
  title: Our side
- id: theirs
  title: The other side
"#,
    ),
    (
        "data/sources.yaml",
        r#"# One entry per document or meeting the findings come from. Give only
# what the document states; write `date: unknown` when it gives none.
- id: example-report
  short: Example report (2024)
  title: An Example Report
  kind: report
  date: 2024-05
  abstract: A report that exists only to show the shape of a source.
  seed: none (an example)
"#,
    ),
    (
        "data/participants.yaml",
        r#"# People attached to a source (participants of a meeting, authors of a
# paper), or to a meeting of meetings.yaml.
- id: a-person
  source: example-report
  role: author
  honorific: Dr.
  name: An Example Person
  affiliation: An example institute
"#,
    ),
    (
        "data/events.yaml",
        r#"# Dated events for the timeline, at the precision the source gives.
- id: example-event
  date: 2024-04
  title: An example event
  summary: What happened, in one sentence, per the source.
  themes: [example]
  source: example-report
  ref: p. 2
"#,
    ),
    (
        "data/issues.yaml",
        r#"# Issue-matrix rows: each party's position, and how they compare.
- id: example-issue
  title: An example issue
  question: What is at stake?
  themes: [example]
  positions:
    ours: Our position, as the sources record it.
    theirs: Their position, as the sources record it.
  assessment: diverging   # converging, diverging or mixed
  rationale: Why that assessment, per the sources.
"#,
    ),
    (
        "data/meetings.yaml",
        r#"# Meetings a book can be made for: `brief --meeting example-meeting`.
- id: example-meeting
  title: "Example: a meeting"
  date: unknown
  purpose: >
    An example meeting, to show the shape of one.
  objectives: |
    - Show what a meeting's book holds.
  our_side: ours
  attendees: [a-person]
  agenda:
    - title: The example theme
      objective: Set out what the corpus says on the example theme.
      points: |
        - The first point to make.
      raise:
        - text: What the other side may bring up.
          likelihood: likely
      themes: [example]
"#,
    ),
    (
        "data/findings/example-report/01-example-finding.md",
        r#"---
id: example-finding
title: An example finding
date: 2024-05
themes: [example]
source: example-report
ref: p. 3
summary: The finding's key judgement, in one line.
key: true
perspective: ours
issue: example-issue
---
One finding per file, in your own words, faithful to the source. The body
is Markdown: *emphasis*, lists, tables and footnotes[^1] are printed;
anything else, `#`, `$` or `<b>`, is printed as written.

[^1]: A footnote.
"#,
    ),
];

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

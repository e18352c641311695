//! What `brief init` writes: a new project's files (brief.toml with one
//! standing book, a corpus with one commented example of each file shape,
//! a .gitignore for out/), kept as the files themselves under
//! `src/scaffold/` and built into the binary. Data only; `cmd::init`
//! writes them. The scaffold passes `brief check` and builds.

/// The reference of the corpus files: every file shape, with an example
/// (the shipped corpus's data/README.md). `brief init` writes it into a
/// new project; `brief reference` prints it.
pub const REFERENCE: &str = include_str!("../data/README.md");

/// The scaffold's files: path inside the project, contents.
pub const SCAFFOLD: &[(&str, &str)] = &[
    (".gitignore", include_str!("scaffold/gitignore")),
    ("brief.toml", include_str!("scaffold/brief.toml")),
    ("data/README.md", REFERENCE),
    ("data/themes.yaml", include_str!("scaffold/data/themes.yaml")),
    ("data/parties.yaml", include_str!("scaffold/data/parties.yaml")),
    ("data/sources.yaml", include_str!("scaffold/data/sources.yaml")),
    ("data/participants.yaml", include_str!("scaffold/data/participants.yaml")),
    ("data/events.yaml", include_str!("scaffold/data/events.yaml")),
    ("data/issues.yaml", include_str!("scaffold/data/issues.yaml")),
    ("data/meetings.yaml", include_str!("scaffold/data/meetings.yaml")),
    (
        "data/findings/example-report/01-example-finding.md",
        include_str!("scaffold/data/findings/example-report/01-example-finding.md"),
    ),
];

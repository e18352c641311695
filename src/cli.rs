//! The command line: clap's types, and their conversion into a validated
//! [`Request`]. The command layer: only `cmd` and `lib` use it, and nothing
//! below it imports it. Flag-combination errors are produced here, once.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::book::plan::{Book, Output, Request};
use crate::date::{DateRange, PartialDate};
use crate::diag::DiagnosticFormat;
use crate::error::Error;
use crate::project::{BookSpec, Project};
use crate::select::Scope;
use crate::settings::BookSettings;

/// brief: turn a corpus of Markdown findings into a print-ready PDF
/// briefing book.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without a command, `build`.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the default `build` command.
    #[command(flatten)]
    pub build: BuildArgs,
    /// Colour in the problems printed: auto (on a terminal, unless
    /// NO_COLOR is set), always or never.
    #[arg(long, value_enum, global = true, default_value_t, value_name = "WHEN")]
    pub color: crate::diag::Color,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a briefing book, standing books of brief.toml by name, or
    /// every standing book (the default).
    Build(Box<BuildCommand>),
    /// Validate the whole corpus and brief.toml and report every problem.
    Check(CheckArgs),
    /// Build, then rebuild whenever a corpus or template file or brief.toml
    /// changes, printing how long each rebuild took.
    Watch(Box<BuildCommand>),
    /// Start a new project in DIR (default: the current directory, which
    /// must then be empty): brief.toml, an example corpus, a .gitignore.
    Init {
        /// Where: a new or empty directory.
        #[arg(default_value = ".")]
        dir: std::path::PathBuf,
    },
    /// Work with the templates: `brief templates export DIR` writes the
    /// shipped ones, for a designer to edit and pass back with --templates.
    Templates {
        /// What to do.
        #[command(subcommand)]
        action: TemplatesCommand,
    },
    /// List what the corpus holds: themes, sources, findings, events,
    /// issues, participants or meetings.
    List(ListArgs),
    /// Print a completion script for a shell, e.g.
    /// `brief completions bash > /etc/bash_completion.d/brief`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the names an argument takes, one a line, for the completion
    /// scripts (`brief completions`): the project's themes, meetings,
    /// standing books or handling levels, or the citation styles. Prints
    /// nothing, and succeeds, where there are none to name.
    #[command(hide = true)]
    Complete {
        /// What to name.
        #[arg(value_enum)]
        kind: CompleteKind,
    },
    /// Print brief's manual page (roff), e.g. `brief man | man -l -`.
    Man,
    /// Print the reference of the corpus files (every file shape, with
    /// an example): the data/README.md that `brief init` writes.
    Reference,
}

impl Cli {
    /// How problems should be printed, whatever the command.
    pub fn diagnostic_format(&self) -> DiagnosticFormat {
        match &self.command {
            Some(Command::Check(args)) => args.diagnostic_format,
            Some(Command::Build(args) | Command::Watch(args)) => args.args.corpus.diagnostic_format,
            Some(Command::List(args)) => args.corpus.diagnostic_format,
            Some(
                Command::Init { .. }
                | Command::Templates { .. }
                | Command::Completions { .. }
                | Command::Complete { .. }
                | Command::Man
                | Command::Reference,
            ) => DiagnosticFormat::default(),
            None => self.build.corpus.diagnostic_format,
        }
    }
}

impl Cli {
    /// For a command that reads a corpus and was given neither --data nor
    /// BRIEF_DATA: the project's corpus, found from `cwd` up
    /// ([`crate::project::locate`]); a usage error saying what to do when
    /// `cwd` is in no project.
    pub fn locate(&mut self, cwd: &Path) -> Result<(), Error> {
        let corpus = match &mut self.command {
            Some(Command::Build(c) | Command::Watch(c)) => &mut c.args.corpus,
            Some(Command::Check(args)) => &mut args.corpus,
            Some(Command::List(args)) if matches!(args.what, Listing::Styles | Listing::Fonts) => {
                return Ok(());
            }
            Some(Command::List(args)) => &mut args.corpus.corpus,
            None => &mut self.build.corpus,
            Some(_) => return Ok(()),
        };
        if corpus.data.is_some() {
            return Ok(());
        }
        match crate::project::locate(cwd) {
            Some(data) => {
                corpus.data = Some(data);
                Ok(())
            }
            None => Err(Error::Usage(format!(
                "no brief project here: neither {} nor any folder above it holds brief.toml, and it has no data/ folder\n  = hint: run brief inside a project (or any folder below it), give --data DIR, or start a project with `brief init DIR`",
                cwd.display()
            ))),
        }
    }
}

/// What `brief templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the shipped templates into DIR (a new or empty directory).
    Export {
        /// Where.
        dir: std::path::PathBuf,
    },
}

/// Where the corpus is and how to report on it.
#[derive(Debug, Args, Clone)]
pub struct CorpusArgs {
    /// The corpus directory (holding themes.yaml, sources.yaml, findings/)
    /// [default: data/ of the project: the nearest folder, from the current
    /// one up, that holds brief.toml; else ./data].
    #[arg(long, value_name = "DIR", env = "BRIEF_DATA")]
    pub data: Option<PathBuf>,
    /// How to print problems: with snippets, or one line each.
    #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
    pub diagnostic_format: DiagnosticFormat,
}

/// Options of `check` and `list`: the corpus, and the fonts the books add.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// Where the corpus is.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// A font directory the books will add (as build's --font-path): its
    /// characters are not reported as missing.
    #[arg(long, value_name = "DIR")]
    pub font_path: Option<PathBuf>,
}

impl CorpusArgs {
    /// The corpus directory: `--data`, `$BRIEF_DATA`, the one
    /// [`Cli::locate`] found, else `data`.
    pub fn data(&self) -> &Path {
        self.data.as_deref().unwrap_or(Path::new("data"))
    }
}

impl std::ops::Deref for CheckArgs {
    type Target = CorpusArgs;
    fn deref(&self) -> &CorpusArgs {
        &self.corpus
    }
}

/// What `brief complete` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CompleteKind {
    /// Theme ids (`--theme`).
    Themes,
    /// Meeting ids (`--meeting`).
    Meetings,
    /// Standing books of brief.toml (`brief build NAME`).
    Books,
    /// Citation styles Typst ships (`--csl`).
    Styles,
    /// Handling levels (`--audience`).
    Levels,
}

/// What `brief list` can list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Listing {
    /// Themes, with how many selected findings each has.
    Themes,
    /// Sources, with their findings.
    Sources,
    /// Findings.
    Findings,
    /// Timeline events.
    Events,
    /// Issue-matrix rows.
    Issues,
    /// Participants and authors.
    Participants,
    /// Meetings.
    Meetings,
    /// The citation styles Typst ships, by the names `--csl` takes (no
    /// corpus needed).
    Styles,
    /// The font families a book may be set in: the shipped ones, and
    /// those of `--font-path` (no corpus needed).
    Fonts,
}

/// Options of `list`.
#[derive(Debug, Args, Clone)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub what: Listing,
    /// Where the corpus is.
    #[command(flatten)]
    pub corpus: CheckArgs,
    /// Only what a book on these themes holds (ids or aliases).
    #[arg(long = "theme", short = 't', value_name = "THEME", value_delimiter = ',')]
    pub themes: Vec<String>,
    /// Only what is dated from this date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_partial_date)]
    pub from: Option<PartialDate>,
    /// Only what is dated until this date.
    #[arg(long, value_name = "DATE", value_parser = parse_partial_date)]
    pub to: Option<PartialDate>,
    /// One JSON array of objects on stdout, for scripts (field names as
    /// the columns, lowercase; see the README).
    #[arg(long)]
    pub json: bool,
    /// Only what this handling level may see (an id of levels.yaml)
    /// [default: brief.toml's `audience`, if any].
    #[arg(long, value_name = "LEVEL")]
    pub audience: Option<String>,
}

/// `brief build` and `brief watch`: standing books by name, or the
/// options of one book.
#[derive(Debug, Args, Clone)]
pub struct BuildCommand {
    /// Standing books of brief.toml to build, by name, each with its
    /// settings, editions and copies (flags apply on top).
    #[arg(value_name = "NAME", conflicts_with_all = ["all", "themes", "meeting", "from", "to", "out"])]
    pub names: Vec<String>,
    /// The options.
    #[command(flatten)]
    pub args: BuildArgs,
}

impl BuildCommand {
    /// The options, with the books named.
    pub fn into_args(self) -> BuildArgs {
        BuildArgs { names: self.names, ..self.args }
    }
}

/// Options of `build`.
#[derive(Debug, Args, Clone)]
pub struct BuildArgs {
    /// Standing books named on `brief build`'s command line.
    #[arg(skip)]
    pub names: Vec<String>,
    /// Where the corpus is.
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Theme id or alias; repeatable, or a comma list; several mean any of
    /// them. Without it, every theme.
    #[arg(long = "theme", short = 't', value_name = "THEME", value_delimiter = ',')]
    pub themes: Vec<String>,
    /// Make the book for this meeting (an id in meetings.yaml): purpose,
    /// key points, agenda with points to make, who is at the table, then
    /// the background.
    #[arg(long, value_name = "ID", conflicts_with = "themes")]
    pub meeting: Option<String>,
    /// Earliest date included: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_partial_date)]
    pub from: Option<PartialDate>,
    /// Latest date included: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_partial_date)]
    pub to: Option<PartialDate>,
    /// The PDF to write [default: out/<themes>.pdf beside the corpus].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Build every standing book named in brief.toml, in one process.
    #[arg(long, conflicts_with_all = ["themes", "meeting", "from", "to", "out"])]
    pub all: bool,
    /// Build only the K-th of N slices of the standing books (with
    /// --all), e.g. `--shard 2/3`, for array jobs in a scheduler: a book's
    /// slice follows from its name alone, so adding or moving a book moves
    /// no other.
    #[arg(long, value_name = "K/N", requires = "all", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Keep the standing books' edition records and --if-changed stamps in
    /// DIR rather than beside their PDFs, so that a runner that restores
    /// DIR keeps their history [default: brief.toml's `state`; env:
    /// BRIEF_STATE].
    #[arg(long, value_name = "DIR", env = "BRIEF_STATE")]
    pub state: Option<PathBuf>,
    /// Skip a book whose inputs are unchanged since it was last written.
    #[arg(long)]
    pub if_changed: bool,
    /// Print one JSON line per book on stdout (name, path, pages, outcome,
    /// seconds, errors) instead of the paths written.
    #[arg(long)]
    pub json: bool,
    /// Print nothing but errors (and the paths written, on stdout).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print how long each stage took, on stderr (`-v`).
    #[arg(long, short = 'v', visible_alias = "verbose")]
    pub timings: bool,
    /// Write Typst's timing trace of the layout and PDF export to FILE
    /// (Chrome trace JSON, for Perfetto or chrome://tracing; `watch`
    /// rewrites it after every build).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// The "as of" date printed on the cover and stored in the PDF
    /// [default: $SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// Seconds since 1970 fixing the "as of" date when --date is not given.
    #[arg(long, env = "SOURCE_DATE_EPOCH", hide = true)]
    pub source_date_epoch: Option<i64>,
    /// The book's settings; they override brief.toml's.
    #[command(flatten)]
    pub settings: BookSettings,
    /// Also write the document brief compiles (templates and brief.json)
    /// into this directory, for the typst CLI or a designer.
    #[arg(long, value_name = "DIR")]
    pub emit_typ: Option<PathBuf>,
    /// Compare with this earlier PDF made by brief (e.g. the copy printed
    /// for the last meeting) rather than with the book's last edition.
    #[arg(long, value_name = "FILE", conflicts_with = "all")]
    pub since: Option<PathBuf>,
    /// Open the PDF in the system's viewer once it is written (`watch`:
    /// after the first build).
    #[arg(long)]
    pub open: bool,
}

impl BuildArgs {
    /// Checks flag combinations and layers the settings. `today` is used
    /// only when neither --date nor SOURCE_DATE_EPOCH is given; `project`
    /// reads brief.toml, if there is one.
    pub fn into_request(
        self,
        today: impl FnOnce() -> NaiveDate,
        project: impl FnOnce(&Path) -> Result<Option<Project>, Error>,
    ) -> Result<Request, Error> {
        let as_of = match (self.date, self.source_date_epoch) {
            (Some(date), _) => date,
            (None, Some(epoch)) => chrono::DateTime::from_timestamp(epoch, 0)
                .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH={epoch} is out of range")))?
                .date_naive(),
            (None, None) => today(),
        };
        let data = self.corpus.data().to_path_buf();
        let project = project(&data)?;
        if let Some(p) = &project
            && crate::diag::has_errors(&p.problems)
        {
            return Err(p.error(p.problems.clone()));
        }
        if self.all && self.settings.copies_for.is_some() {
            return Err(Error::Usage(
                "--copies-for makes the copies of one book: name it (`brief build NAME --copies-for …`), or set `copies-for` in its [[book]]".into(),
            ));
        }
        let books = if self.all || !self.names.is_empty() {
            let project = project.as_ref().ok_or_else(|| {
                let what = if self.all { "--all" } else { "a book named" };
                Error::Usage(format!(
                    "{what} needs {}: a [[book]] table for each standing book (see the README)",
                    crate::project::path_for(&data).display()
                ))
            })?;
            if project.books.is_empty() {
                return Err(Error::Usage(format!("{}: names no [[book]]", project.path.display())));
            }
            let specs = match self.all {
                true => project
                    .books
                    .iter()
                    .filter(|spec| self.shard.is_none_or(|shard| in_shard(&spec.name, shard)))
                    .collect(),
                false => named(project, &self.names)?,
            };
            specs.into_iter().map(|spec| Book::standing(spec, project, &self.settings)).collect()
        } else {
            let range = DateRange { from: self.from, to: self.to };
            if let (true, Some(from), Some(to)) = (range.is_reversed(), range.from, range.to) {
                return Err(Error::Usage(format!("--from {from} is after --to {to}")));
            }
            let scope = Scope::of(self.themes, self.meeting);
            vec![Book::ad_hoc(scope, range, self.out, self.settings, project.as_ref())]
        };
        let books: Vec<Book> = books;
        if self.since.is_some() && books.len() > 1 {
            return Err(Error::Usage(
                "--since compares one book with an earlier edition of it: name one book".into(),
            ));
        }
        // The state directory: a flag is relative to the current folder,
        // brief.toml's `state` to the project.
        let state = self.state.or_else(|| project.as_ref().and_then(|p| p.state.clone()));
        let standing = project
            .as_ref()
            .map(|p| {
                p.books.iter().map(|spec| Book::standing(spec, p, &Default::default())).collect()
            })
            .unwrap_or_default();
        Ok(Request {
            data,
            books,
            standing,
            as_of,
            emit_typ: self.emit_typ,
            since: self.since,
            record_editions: true,
            state,
            if_changed: self.if_changed,
            project_files: project.map(|p| p.files).unwrap_or_default(),
            output: Output {
                quiet: self.quiet,
                timings: self.timings,
                trace: self.trace,
                json: self.json,
                format: self.corpus.diagnostic_format,
                open: self.open,
            },
        })
    }
}

/// The standing books `names` names, each once, in the order given; a name
/// brief.toml does not have is a usage error with the nearest one.
fn named<'p>(project: &'p Project, names: &[String]) -> Result<Vec<&'p BookSpec>, Error> {
    let mut specs: Vec<&BookSpec> = Vec::new();
    for name in names {
        let Some(spec) = project.books.iter().find(|b| &b.name == name) else {
            let all = project.books.iter().map(|b| b.name.as_str());
            let hint = crate::suggest::hint(name, all.clone(), "the books are")
                .unwrap_or_else(|| format!("the books are {}", all.collect::<Vec<_>>().join(", ")));
            return Err(Error::Usage(format!(
                "{}: no standing book is named `{name}`: {hint}",
                project.path.display()
            )));
        };
        if !specs.iter().any(|s| s.name == spec.name) {
            specs.push(spec);
        }
    }
    Ok(specs)
}

/// Whether the book named `name` is in slice `k` of `n`: slice
/// `h(name) mod n + 1`, where `h` is the first 8 bytes of the name's
/// SHA-256, big-endian. A book's slice depends on its name alone, not on
/// its place in brief.toml or the machine: adding, removing or reordering
/// books moves no other book to another slice.
pub fn in_shard(name: &str, (k, n): (usize, usize)) -> bool {
    shard_of(name, n) == k
}

/// The slice (1 to `n`) the book named `name` is in.
pub fn shard_of(name: &str, n: usize) -> usize {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(name.as_bytes());
    let h = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    (h % n as u64) as usize + 1
}

/// `K/N` with 1 ≤ K ≤ N: the K-th of N slices ([`in_shard`]), which are
/// disjoint and cover every book.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let refuse = || format!("`{text}` is not a shard: expected K/N with 1 ≤ K ≤ N, e.g. 2/3");
    let (k, n) = text.split_once('/').ok_or_else(refuse)?;
    let (k, n): (usize, usize) =
        (k.parse().map_err(|_| refuse())?, n.parse().map_err(|_| refuse())?);
    if k == 0 || k > n {
        return Err(refuse());
    }
    Ok((k, n))
}

/// Writes the completion script for `shell`, generated from the clap
/// definitions (so it names every flag `--help` does).
/// For themes, meetings, books, styles and levels, the script asks
/// `brief complete KIND` (bash, zsh, fish; other shells complete flags
/// only).
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "brief", &mut script);
    let script = String::from_utf8(script).expect("clap writes UTF-8");
    let script = crate::completion::with_names(shell, &script, &Cli::command());
    // A broken pipe leaves nothing to report to.
    let _ = out.write_all(script.as_bytes());
}

fn parse_partial_date(text: &str) -> Result<PartialDate, String> {
    text.parse().map_err(|e: crate::date::DateError| e.to_string())
}

/// A calendar day, written in full: `2026-11-23` (`26-1-1` is refused, not
/// read as the year 26).
fn parse_day(text: &str) -> Result<NaiveDate, String> {
    let refuse = || format!("`{text}` is not a date: expected YYYY-MM-DD (e.g. 2026-11-23)");
    let date: PartialDate = text.parse().map_err(|_| refuse())?;
    if text.len() != 10 {
        return Err(refuse());
    }
    Ok(date.first_day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Paper;

    fn no_project(_: &Path) -> Result<Option<Project>, Error> {
        Ok(None)
    }

    fn must_parse(args: &[&str]) -> Request {
        let cli =
            Cli::try_parse_from(std::iter::once("brief").chain(args.iter().copied())).unwrap();
        cli.build.into_request(|| NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(), no_project).unwrap()
    }

    #[test]
    fn themes_repeat_and_split_on_commas() {
        let r = must_parse(&["--theme", "afghanistan,drones", "-t", "india"]);
        let themes = ["afghanistan", "drones", "india"].map(String::from).to_vec();
        assert_eq!(r.books[0].scope, Scope::Themes(themes));
    }

    #[test]
    fn malformed_dates_are_usage_errors_naming_the_forms() {
        let err = Cli::try_parse_from(["brief", "--from", "2011-13"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("not a real date"), "{err}");
        let err = Cli::try_parse_from(["brief", "--to", "June 2019"]).unwrap_err();
        assert!(err.to_string().contains("YYYY, YYYY-MM or YYYY-MM-DD"), "{err}");
    }

    #[test]
    fn reversed_range_is_a_usage_error() {
        let cli = Cli::try_parse_from(["brief", "--from", "2019", "--to", "2011"]).unwrap();
        let err = cli.build.into_request(|| NaiveDate::MIN, no_project).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn default_output_is_beside_the_corpus() {
        let r = must_parse(&["--data", "/srv/corpus/data", "--theme", "india"]);
        assert_eq!(
            r.books[0].out_path(&r.data, &["india".into()]),
            Path::new("/srv/corpus/out/india.pdf")
        );
        let r = must_parse(&["--from", "2011", "--to", "2019-06"]);
        assert_eq!(r.books[0].out_path(&r.data, &[]), Path::new("out/all_2011-to-2019-06.pdf"));
    }

    #[test]
    fn date_then_epoch_then_today() {
        assert_eq!(
            must_parse(&["--date", "2024-02-29"]).as_of,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(must_parse(&[]).as_of, NaiveDate::from_ymd_opt(2026, 1, 2).unwrap());
        let cli = Cli::try_parse_from(["brief", "--source-date-epoch", "86400"]).unwrap();
        let r = cli.build.into_request(|| NaiveDate::MIN, no_project).unwrap();
        assert_eq!(r.as_of, NaiveDate::from_ymd_opt(1970, 1, 2).unwrap());
    }

    #[test]
    fn all_takes_books_from_the_project_with_flags_on_top() {
        let cli = Cli::try_parse_from([
            "brief",
            "build",
            "--all",
            "--paper",
            "us-letter",
            "--handling",
            "Restricted",
        ]);
        let Some(Command::Build(args)) = cli.unwrap().command else { panic!() };
        let args = args.into_args();
        let text = "[[book]]\nname = \"af\"\nthemes = [\"afghanistan\"]\nfrom = \"2011\"\nhandling = \"Mine\"\ntitle = \"Af\"\n[[book]]\nname = \"all\"\npaper = \"a4\"\n";
        let r = args
            .into_request(
                || NaiveDate::MIN,
                |_| Ok(Some(crate::project::parse(text, Path::new("brief.toml")))),
            )
            .unwrap();
        assert_eq!(r.books.len(), 2);
        let (first, second) = (&r.books[0].settings, &r.books[1].settings);
        assert_eq!((first.title(), first.handling()), ("Af", "Restricted"));
        assert_eq!((first.paper(), second.paper()), (Paper::UsLetter, Paper::UsLetter));
        assert_eq!(second.title(), "Briefing book");
        assert_eq!(r.books[0].out_path(&r.data, &[]), Path::new("out/af.pdf"));
        assert!(Cli::try_parse_from(["brief", "--all", "--theme", "x"]).is_err());
    }

    #[test]
    fn project_defaults_apply_to_an_ad_hoc_book_under_the_flags() {
        let text = "[defaults]\nhandling = \"Restricted\"\nduplex = true\nwatermark = \"DRAFT\"\n";
        let cli =
            Cli::try_parse_from(["brief", "--theme", "x", "--duplex=false", "--watermark", "X"]);
        let r = cli
            .unwrap()
            .build
            .into_request(
                || NaiveDate::MIN,
                |_| Ok(Some(crate::project::parse(text, Path::new("brief.toml")))),
            )
            .unwrap();
        let settings = &r.books[0].settings;
        assert_eq!(settings.handling(), "Restricted");
        assert!(!settings.duplex());
        assert_eq!(settings.watermark.as_deref(), Some("X"));
        // A problem with a default the flags overrode is not brief.toml's.
        let keys: Vec<&String> = r.books[0].at.keys().collect();
        assert_eq!(keys, ["handling"]);
    }

    #[test]
    fn short_years_are_not_dates() {
        let err = Cli::try_parse_from(["brief", "--date", "26-1-1"]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(Cli::try_parse_from(["brief", "--date", "2026-01-01"]).is_ok());
    }
}

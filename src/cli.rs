//! The command line: clap's types, and their conversion into a validated
//! [`Request`]. The command layer: only `cmd` and `lib` use it, and nothing
//! below it imports it. Flag-combination errors are produced here, once.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::book::plan::{Book, CopiesFor, Output, Request};
use crate::date::{DateRange, PartialDate};
use crate::diag::DiagnosticFormat;
use crate::error::Error;
use crate::project::Project;
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
    /// Build a briefing book, or every standing book (the default).
    Build(Box<BuildArgs>),
    /// Validate the whole corpus and brief.toml and report every problem.
    Check(CheckArgs),
    /// Build, then rebuild whenever a corpus or template file or brief.toml
    /// changes, printing how long each rebuild took.
    Watch(Box<BuildArgs>),
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
    /// Print brief's manual page (roff), e.g. `brief man | man -l -`.
    Man,
}

impl Cli {
    /// How problems should be printed, whatever the command.
    pub fn diagnostic_format(&self) -> DiagnosticFormat {
        match &self.command {
            Some(Command::Check(args)) => args.diagnostic_format,
            Some(Command::Build(args) | Command::Watch(args)) => args.corpus.diagnostic_format,
            Some(Command::List(args)) => args.corpus.diagnostic_format,
            Some(
                Command::Init { .. }
                | Command::Templates { .. }
                | Command::Completions { .. }
                | Command::Man,
            ) => DiagnosticFormat::default(),
            None => self.build.corpus.diagnostic_format,
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
    /// The corpus directory (holding themes.yaml, sources.yaml, findings/).
    #[arg(long, value_name = "DIR", default_value = "data", env = "BRIEF_DATA")]
    pub data: PathBuf,
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

impl std::ops::Deref for CheckArgs {
    type Target = CorpusArgs;
    fn deref(&self) -> &CorpusArgs {
        &self.corpus
    }
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

/// Options of `build`.
#[derive(Debug, Args, Clone)]
pub struct BuildArgs {
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
    /// Build only the K-th of N deterministic slices of the standing books
    /// (with --all), e.g. `--shard 2/3`: for array jobs in a scheduler.
    #[arg(long, value_name = "K/N", requires = "all", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
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
    /// Write one numbered copy per recipient, out/<book>/copy-NN.pdf, and
    /// a register: `attendees` (a meeting's) or a file with a name a line.
    #[arg(long, value_name = "attendees|FILE", conflicts_with = "all")]
    pub copies_for: Option<String>,
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
        let project = project(&self.corpus.data)?;
        if let Some(p) = &project
            && crate::diag::has_errors(&p.problems)
        {
            return Err(p.error(p.problems.clone()));
        }
        let books = if self.all {
            let project = project.as_ref().ok_or_else(|| {
                Error::Usage(format!(
                    "--all needs {}: a [[book]] table for each standing book (see the README)",
                    crate::project::path_for(&self.corpus.data).display()
                ))
            })?;
            if project.books.is_empty() {
                return Err(Error::Usage(format!("{}: names no [[book]]", project.path.display())));
            }
            project
                .books
                .iter()
                .enumerate()
                .filter(|(index, _)| self.shard.is_none_or(|(k, n)| index % n == k - 1))
                .map(|(_, spec)| Book::standing(spec, project, &self.settings))
                .collect()
        } else {
            let range = DateRange { from: self.from, to: self.to };
            if let (true, Some(from), Some(to)) = (range.is_reversed(), range.from, range.to) {
                return Err(Error::Usage(format!("--from {from} is after --to {to}")));
            }
            let scope = Scope::of(self.themes, self.meeting);
            vec![Book::ad_hoc(scope, range, self.out, self.settings, project.as_ref())]
        };
        Ok(Request {
            data: self.corpus.data,
            books,
            as_of,
            emit_typ: self.emit_typ,
            since: self.since,
            record_editions: true,
            copies_for: self.copies_for.map(|who| match who.as_str() {
                "attendees" => CopiesFor::Attendees,
                _ => CopiesFor::File(PathBuf::from(who)),
            }),
            if_changed: self.if_changed,
            project_files: project.map(|p| p.files).unwrap_or_default(),
            output: Output {
                quiet: self.quiet,
                timings: self.timings,
                trace: self.trace,
                json: self.json,
                format: self.corpus.diagnostic_format,
            },
        })
    }
}

/// `K/N` with 1 ≤ K ≤ N: the K-th of N slices. Book i of brief.toml (from
/// 0) is in slice i mod N + 1, so the slices are disjoint, cover every
/// book, and do not depend on the machine.
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
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    use clap::CommandFactory;
    clap_complete::generate(shell, &mut Cli::command(), "brief", out);
}

/// Writes the manual page, generated from the clap definitions.
pub fn man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
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

//! Command-line arguments, and their conversion into validated jobs.
//! Flag-combination errors are produced here, once.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Deserialize;

use crate::corpus::date::{DateRange, PartialDate};
use crate::diag::DiagnosticFormat;
use crate::error::Error;
use crate::project::Project;

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
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a briefing book, or every standing book (the default).
    Build(Box<BuildArgs>),
    /// Validate the whole corpus and report every problem.
    Check(CorpusArgs),
    /// Build, then rebuild whenever a corpus or template file changes,
    /// printing how long each rebuild took.
    Watch(Box<BuildArgs>),
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

/// Paper sizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    UsLetter,
}

impl Paper {
    /// The name Typst knows the paper by.
    pub fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        }
    }
}

/// PDF standards the book can be made to conform to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// PDF/A-2b, for archiving.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/UA-1, accessible (tagged, with a document language and alt text).
    #[value(name = "ua-1")]
    Ua1,
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
    #[arg(long, conflicts_with_all = ["themes", "from", "to", "out"])]
    pub all: bool,
    /// Skip a book whose inputs are unchanged since it was last written.
    #[arg(long)]
    pub if_changed: bool,
    /// Print nothing but errors (and the paths written, on stdout).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print how long each stage took, on stderr.
    #[arg(long)]
    pub timings: bool,
    /// The "as of" date printed on the cover and stored in the PDF
    /// [default: $SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// Seconds since 1970 fixing the "as of" date when --date is not given.
    #[arg(long, env = "SOURCE_DATE_EPOCH", hide = true)]
    pub source_date_epoch: Option<i64>,
    /// The book's title [default: "Briefing book"].
    #[arg(long)]
    pub title: Option<String>,
    /// The handling line on the cover and every page [default: "For meeting
    /// use"].
    #[arg(long)]
    pub handling: Option<String>,
    /// Paper size [default: a4].
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Set for two-sided printing: every major section starts on a
    /// right-hand page.
    #[arg(long)]
    pub duplex: bool,
    /// Text set lightly across every page, e.g. DRAFT.
    #[arg(long, value_name = "TEXT")]
    pub watermark: Option<String>,
    /// Make the PDF conform to a standard.
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub pdf_standard: Option<PdfStandardArg>,
    /// A directory of .typ files replacing shipped templates of the same
    /// name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Also write the document brief compiles (templates and book.json)
    /// into this directory, for the typst CLI or a designer.
    #[arg(long, value_name = "DIR")]
    pub emit_typ: Option<PathBuf>,
}

/// A validated build request: one or more books from one corpus.
#[derive(Clone, Debug)]
pub struct BuildRequest {
    /// The corpus directory.
    pub data: PathBuf,
    /// The books to build.
    pub jobs: Vec<Job>,
    /// The "as of" date.
    pub as_of: NaiveDate,
    /// Template override directory.
    pub templates: Option<PathBuf>,
    /// Where to write the compiled document's sources, if anywhere.
    pub emit_typ: Option<PathBuf>,
    /// Skip unchanged books.
    pub if_changed: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Print stage timings.
    pub timings: bool,
    /// How to print problems.
    pub format: DiagnosticFormat,
}

/// One book to build.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// Its name, for progress lines and the PDF's identifier.
    pub name: String,
    /// Themes as typed; resolved against the corpus later.
    pub themes: Vec<String>,
    /// The date range.
    pub range: DateRange,
    /// Explicit output path; otherwise out/<name>.pdf beside the corpus.
    pub out: Option<PathBuf>,
    /// Cover title.
    pub title: String,
    /// Handling line.
    pub handling: String,
    /// Paper size.
    pub paper: Paper,
    /// Major sections on right-hand pages.
    pub duplex: bool,
    /// Watermark text.
    pub watermark: Option<String>,
    /// PDF standard.
    pub standard: Option<PdfStandardArg>,
}

const DEFAULT_TITLE: &str = "Briefing book";
const DEFAULT_HANDLING: &str = "For meeting use";

impl BuildArgs {
    /// Checks flag combinations and fixes defaults. `today` is used only
    /// when neither --date nor SOURCE_DATE_EPOCH is given; `project` is
    /// read only for --all.
    pub fn into_request(
        self,
        today: impl FnOnce() -> NaiveDate,
        project: impl FnOnce(&Path) -> Result<Project, Error>,
    ) -> Result<BuildRequest, Error> {
        let as_of = match (self.date, self.source_date_epoch) {
            (Some(date), _) => date,
            (None, Some(epoch)) => chrono::DateTime::from_timestamp(epoch, 0)
                .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH={epoch} is out of range")))?
                .date_naive(),
            (None, None) => today(),
        };
        let jobs = if self.all {
            let project = project(&self.corpus.data)?;
            if project.books.is_empty() {
                return Err(Error::Usage("brief.toml names no [[book]]".into()));
            }
            project
                .books
                .into_iter()
                .map(|book| {
                    let range = book.range()?;
                    Ok(Job {
                        themes: book.themes,
                        range,
                        out: None,
                        title: pick(&self.title, book.title, DEFAULT_TITLE),
                        handling: pick(&self.handling, book.handling, DEFAULT_HANDLING),
                        paper: self.paper.or(book.paper).unwrap_or_default(),
                        duplex: self.duplex || book.duplex.unwrap_or(false),
                        watermark: self.watermark.clone().or(book.watermark),
                        standard: self.pdf_standard,
                        name: book.name,
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?
        } else {
            let range = DateRange { from: self.from, to: self.to };
            check_range(&range)?;
            vec![Job {
                name: String::new(),
                themes: self.themes,
                range,
                out: self.out,
                title: pick(&self.title, None, DEFAULT_TITLE),
                handling: pick(&self.handling, None, DEFAULT_HANDLING),
                paper: self.paper.unwrap_or_default(),
                duplex: self.duplex,
                watermark: self.watermark,
                standard: self.pdf_standard,
            }]
        };
        Ok(BuildRequest {
            data: self.corpus.data,
            jobs,
            as_of,
            templates: self.templates,
            emit_typ: self.emit_typ,
            if_changed: self.if_changed,
            quiet: self.quiet,
            timings: self.timings,
            format: self.corpus.diagnostic_format,
        })
    }
}

/// A flag beats the project file, which beats the default.
fn pick(flag: &Option<String>, book: Option<String>, default: &str) -> String {
    flag.clone().or(book).unwrap_or_else(|| default.to_string())
}

/// A usage error when the range ends before it starts.
pub(crate) fn check_range(range: &DateRange) -> Result<(), Error> {
    match (range.from, range.to) {
        (Some(from), Some(to)) if from.first_day() > to.last_day() => {
            Err(Error::Usage(format!("--from {from} is after --to {to}")))
        }
        _ => Ok(()),
    }
}

/// The project directory: the corpus directory's parent, where out/ and
/// brief.toml live (`.` when the corpus is given as a bare name).
pub fn project_dir(data: &Path) -> &Path {
    match data.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new(""),
    }
}

impl Job {
    /// The name a book on these (resolved) themes goes by: the --all name,
    /// else `afghanistan`, `afghanistan-drones`, `all`, with
    /// `_2011-to-2019-06` when a range is given.
    pub fn slug(&self, theme_ids: &[String]) -> String {
        if !self.name.is_empty() {
            return self.name.clone();
        }
        let mut slug = if theme_ids.is_empty() { "all".to_string() } else { theme_ids.join("-") };
        if !self.range.is_open() {
            let end = |d: Option<PartialDate>| d.map_or_else(String::new, |d| d.to_string());
            slug.push_str(&format!("_{}-to-{}", end(self.range.from), end(self.range.to)));
        }
        slug
    }

    /// The output path: --out, else out/<slug>.pdf in the project directory.
    pub fn out_path(&self, data: &Path, theme_ids: &[String]) -> PathBuf {
        match &self.out {
            Some(out) => out.clone(),
            None => project_dir(data).join("out").join(format!("{}.pdf", self.slug(theme_ids))),
        }
    }
}

fn parse_partial_date(text: &str) -> Result<PartialDate, String> {
    text.parse().map_err(|e: crate::corpus::date::DateError| e.to_string())
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date: expected YYYY-MM-DD (e.g. 2026-11-23)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_project(_: &Path) -> Result<Project, Error> {
        panic!("brief.toml is read only for --all")
    }

    fn must_parse(args: &[&str]) -> BuildRequest {
        let cli =
            Cli::try_parse_from(std::iter::once("brief").chain(args.iter().copied())).unwrap();
        cli.build.into_request(|| NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(), no_project).unwrap()
    }

    #[test]
    fn themes_repeat_and_split_on_commas() {
        let r = must_parse(&["--theme", "afghanistan,drones", "-t", "india"]);
        assert_eq!(r.jobs[0].themes, ["afghanistan", "drones", "india"]);
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
            r.jobs[0].out_path(&r.data, &["india".into()]),
            Path::new("/srv/corpus/out/india.pdf")
        );
        let r = must_parse(&["--from", "2011", "--to", "2019-06"]);
        assert_eq!(r.jobs[0].out_path(&r.data, &[]), Path::new("out/all_2011-to-2019-06.pdf"));
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
                |_| crate::project::parse(text, Path::new("brief.toml")),
            )
            .unwrap();
        assert_eq!(r.jobs.len(), 2);
        assert_eq!((r.jobs[0].title.as_str(), r.jobs[0].handling.as_str()), ("Af", "Restricted"));
        assert_eq!((r.jobs[0].paper, r.jobs[1].paper), (Paper::UsLetter, Paper::UsLetter));
        assert_eq!(r.jobs[1].title, "Briefing book");
        assert_eq!(r.jobs[0].out_path(&r.data, &[]), Path::new("out/af.pdf"));
        assert!(Cli::try_parse_from(["brief", "--all", "--theme", "x"]).is_err());
    }
}

//! Command-line arguments, and their conversion into a validated request.
//! Flag-combination errors are produced here, once.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::corpus::date::{DateRange, PartialDate};
use crate::diag::DiagnosticFormat;
use crate::error::Error;

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
    /// Build a briefing book (the default).
    Build(BuildArgs),
    /// Validate the whole corpus and report every problem.
    Check(CorpusArgs),
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
    /// The "as of" date printed on the cover and stored in the PDF
    /// [default: $SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// Seconds since 1970 fixing the "as of" date when --date is not given.
    #[arg(long, env = "SOURCE_DATE_EPOCH", hide = true)]
    pub source_date_epoch: Option<i64>,
    /// The book's title.
    #[arg(long, default_value = "Briefing book")]
    pub title: String,
    /// The handling line on the cover and every page.
    #[arg(long, default_value = "For meeting use")]
    pub handling: String,
    /// A directory of .typ files replacing shipped templates of the same
    /// name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

/// A validated build request.
#[derive(Clone, Debug)]
pub struct BuildRequest {
    /// The corpus directory.
    pub data: PathBuf,
    /// Themes as typed; resolved against the corpus later.
    pub themes: Vec<String>,
    /// The date range.
    pub range: DateRange,
    /// Explicit output path.
    pub out: Option<PathBuf>,
    /// The "as of" date.
    pub as_of: NaiveDate,
    /// Cover title.
    pub title: String,
    /// Handling line.
    pub handling: String,
    /// Template override directory.
    pub templates: Option<PathBuf>,
    /// How to print problems.
    pub format: DiagnosticFormat,
}

impl BuildArgs {
    /// Checks flag combinations and fixes defaults. `today` is used only
    /// when neither --date nor SOURCE_DATE_EPOCH is given.
    pub fn into_request(self, today: impl FnOnce() -> NaiveDate) -> Result<BuildRequest, Error> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from.first_day() > to.last_day()
        {
            return Err(Error::Usage(format!("--from {from} is after --to {to}")));
        }
        let as_of = match (self.date, self.source_date_epoch) {
            (Some(date), _) => date,
            (None, Some(epoch)) => chrono::DateTime::from_timestamp(epoch, 0)
                .ok_or_else(|| Error::Usage(format!("SOURCE_DATE_EPOCH={epoch} is out of range")))?
                .date_naive(),
            (None, None) => today(),
        };
        Ok(BuildRequest {
            data: self.corpus.data,
            themes: self.themes,
            range: DateRange { from: self.from, to: self.to },
            out: self.out,
            as_of,
            title: self.title,
            handling: self.handling,
            templates: self.templates,
            format: self.corpus.diagnostic_format,
        })
    }
}

impl BuildRequest {
    /// The output path: --out, else out/<slug>.pdf in the project directory.
    pub fn out_path(&self, theme_ids: &[String]) -> PathBuf {
        match &self.out {
            Some(out) => out.clone(),
            None => {
                let name = format!("{}.pdf", slug(theme_ids, &self.range));
                match self.data.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.join("out").join(name),
                    _ => Path::new("out").join(name),
                }
            }
        }
    }
}

/// The output name for a selection: `afghanistan`, `afghanistan-drones`,
/// `all`, with `_2011-to-2019-06` when a range is given.
pub fn slug(theme_ids: &[String], range: &DateRange) -> String {
    let mut slug = if theme_ids.is_empty() { "all".to_string() } else { theme_ids.join("-") };
    if !range.is_open() {
        let end = |d: Option<PartialDate>| d.map_or_else(String::new, |d| d.to_string());
        slug.push_str(&format!("_{}-to-{}", end(range.from), end(range.to)));
    }
    slug
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

    fn must_parse(args: &[&str]) -> BuildRequest {
        let cli =
            Cli::try_parse_from(std::iter::once("brief").chain(args.iter().copied())).unwrap();
        cli.build.into_request(|| NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()).unwrap()
    }

    #[test]
    fn themes_repeat_and_split_on_commas() {
        let r = must_parse(&["--theme", "afghanistan,drones", "-t", "india"]);
        assert_eq!(r.themes, ["afghanistan", "drones", "india"]);
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
        let err = cli.build.into_request(|| NaiveDate::MIN).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn default_output_is_beside_the_corpus() {
        let r = must_parse(&["--data", "/srv/corpus/data", "--theme", "india"]);
        assert_eq!(r.out_path(&["india".into()]), Path::new("/srv/corpus/out/india.pdf"));
        let r = must_parse(&["--from", "2011", "--to", "2019-06"]);
        assert_eq!(r.out_path(&[]), Path::new("out/all_2011-to-2019-06.pdf"));
    }

    #[test]
    fn date_then_epoch_then_today() {
        assert_eq!(
            must_parse(&["--date", "2024-02-29"]).as_of,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(must_parse(&[]).as_of, NaiveDate::from_ymd_opt(2026, 1, 2).unwrap());
        let cli = Cli::try_parse_from(["brief", "--source-date-epoch", "86400"]).unwrap();
        let r = cli.build.into_request(|| NaiveDate::MIN).unwrap();
        assert_eq!(r.as_of, NaiveDate::from_ymd_opt(1970, 1, 2).unwrap());
    }
}

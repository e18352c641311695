//! `brief list`: what a corpus holds, before building. The same selection
//! a book makes (`--theme`, `--from`, `--to`), as aligned columns on a
//! terminal, tab-separated otherwise, or JSON for scripts. Writes nothing.

use std::io::IsTerminal;

use serde_json::{Value, json};

use crate::book::Session;
use crate::book::plan::Book;
use crate::cli::{ListArgs, Listing};
use crate::corpus::Corpus;
use crate::date::{DateRange, PartialDate};
use crate::error::{Error, Result};
use crate::select::{self, Query, Scope, Selection};
use crate::settings::BookSettings;

/// Lists what the arguments ask for on stdout; the count goes to stderr.
pub fn list(args: &ListArgs) -> Result<()> {
    let settings = BookSettings { font_path: args.corpus.font_path.clone(), ..Default::default() };
    let book = Book::ad_hoc(Scope::All, DateRange::default(), None, settings, None);
    let session = Session::open(&args.corpus.data, &[book], &Default::default())?;
    crate::diag::emit(&session.loaded.files, &session.warnings, args.corpus.diagnostic_format);
    // The audience the project's books default to, unless one is given.
    let project = crate::project::load(&args.corpus.data)?;
    let audience = args.audience.clone().or_else(|| project.and_then(|p| p.defaults.audience));
    let audience = audience
        .map(|a| {
            select::resolve_audience(session.corpus(), &a).map_err(|u| Error::Usage(u.to_string()))
        })
        .transpose()?;
    let visible = session.corpus().visible_to(audience);
    let corpus = &*visible.corpus;
    let themes = select::resolve_themes(corpus, &args.themes).map_err(Error::UnknownTheme)?;
    let range = DateRange { from: args.from, to: args.to };
    if range.is_reversed() {
        return Err(Error::Usage("--from is after --to".into()));
    }
    let selection = select::select(&visible, Query { themes, range, meeting: None, audience });
    let (columns, rows) = rows(args.what, corpus, &selection);
    let objects: Vec<Value> = rows
        .iter()
        .map(|row| {
            Value::Object(columns.iter().map(|c| c.to_string()).zip(row.iter().cloned()).collect())
        })
        .collect();
    if args.json {
        super::report::out(Value::Array(objects));
    } else {
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(text).collect()).collect();
        print_table(&columns, &cells, std::io::stdout().is_terminal());
    }
    eprintln!("{} {}", rows.len(), noun(args.what, rows.len()));
    Ok(())
}

fn noun(what: Listing, n: usize) -> &'static str {
    let (one, many) = match what {
        Listing::Themes => ("theme", "themes"),
        Listing::Sources => ("source", "sources"),
        Listing::Findings => ("finding", "findings"),
        Listing::Events => ("event", "events"),
        Listing::Issues => ("issue", "issues"),
        Listing::Participants => ("participant", "participants"),
        Listing::Meetings => ("meeting", "meetings"),
    };
    if n == 1 { one } else { many }
}

/// The columns of a listing (its JSON field names, documented in the
/// README) and its rows.
fn rows(what: Listing, corpus: &Corpus, s: &Selection) -> (Vec<&'static str>, Vec<Vec<Value>>) {
    let date = |d: Option<PartialDate>| d.map_or(Value::Null, |d| json!(d.to_string()));
    let count = |pred: &dyn Fn(&crate::corpus::model::Finding) -> bool| {
        json!(s.findings.iter().filter(|f| pred(f)).count())
    };
    let rows = match what {
        Listing::Themes => s
            .themes
            .iter()
            .map(|t| vec![json!(t.id), json!(t.title), count(&|f| f.themes.contains(&t.id))])
            .collect(),
        Listing::Sources => s
            .sources
            .iter()
            .map(|x| {
                let used = count(&|f| f.source == x.id);
                vec![json!(x.id), json!(x.short), json!(x.kind), date(x.date), used]
            })
            .collect(),
        Listing::Findings => s
            .findings
            .iter()
            .map(|f| {
                let (id, source, themes) = (json!(f.id), json!(f.source), json!(f.themes));
                vec![id, date(f.date), source, themes, json!(f.key), json!(f.title)]
            })
            .collect(),
        Listing::Events => s
            .events
            .iter()
            .map(|e| {
                let (id, themes, title) = (json!(e.id), json!(e.themes), json!(e.title));
                vec![id, date(Some(e.date)), date(e.end), themes, title]
            })
            .collect(),
        Listing::Issues => s
            .issues
            .iter()
            .map(|i| {
                let fed = count(&|f| f.issue.as_deref() == Some(i.id.as_str()));
                vec![json!(i.id), json!(i.assessment), fed, json!(i.title)]
            })
            .collect(),
        Listing::Participants => s
            .participants
            .iter()
            .map(|p| vec![json!(p.id), json!(p.name), json!(p.role), json!(p.source)])
            .collect(),
        Listing::Meetings => corpus
            .meetings
            .iter()
            .map(|m| {
                let (agenda, attendees) = (json!(m.agenda.len()), json!(m.attendees.len()));
                vec![json!(m.id), date(m.date), agenda, attendees, json!(m.title)]
            })
            .collect(),
    };
    (columns(what), rows)
}

/// The columns of a listing, in order (its JSON field names).
fn columns(what: Listing) -> Vec<&'static str> {
    match what {
        Listing::Themes => vec!["id", "title", "findings"],
        Listing::Sources => vec!["id", "short", "kind", "date", "findings"],
        Listing::Findings => vec!["id", "date", "source", "themes", "key", "title"],
        Listing::Events => vec!["id", "date", "end", "themes", "title"],
        Listing::Issues => vec!["id", "assessment", "findings", "title"],
        Listing::Participants => vec!["id", "name", "role", "source"],
        Listing::Meetings => vec!["id", "date", "items", "attendees", "title"],
    }
}

/// A cell as text: lists joined with commas, nothing for null.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Columns aligned for a reader, or tab-separated for a pipe.
fn print_table(columns: &[&str], rows: &[Vec<String>], aligned: bool) {
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    if !aligned {
        super::report::out(header.join("\t"));
        for row in rows {
            super::report::out(row.join("\t"));
        }
        return;
    }
    let width = |i: usize| {
        rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0)
    };
    let widths: Vec<usize> = (0..columns.len()).map(width).collect();
    let line = |cells: &[String]| {
        let last = cells.len() - 1;
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i == last { c.clone() } else { format!("{c:<w$}", w = widths[i]) })
            .collect::<Vec<_>>()
            .join("  ")
    };
    super::report::out(line(&header));
    for row in rows {
        super::report::out(line(row));
    }
}

//! `brief list`: what a corpus holds, before building. The same selection
//! a book makes (`--theme`, `--from`, `--to`), as aligned columns on a
//! terminal, tab-separated otherwise, or JSON for scripts. Writes nothing.

use std::io::IsTerminal;

use serde_json::{Value, json};

use crate::book::Session;
use crate::book::plan::{Book, ProjectFile};
use crate::cli::{ListArgs, Listing};
use crate::corpus::Corpus;
use crate::date::{DateRange, PartialDate};
use crate::error::{Error, Result};
use crate::select::{self, Scope, Selection};
use crate::settings::BookSettings;

/// Lists what the arguments ask for on stdout; the count goes to stderr.
pub fn list(args: &ListArgs) -> Result<()> {
    if let Some(names) = names(args)? {
        let objects: Vec<Value> = names.iter().map(|n| json!({ "name": n })).collect();
        match args.json {
            true => super::report::out(Value::Array(objects)),
            false => names.iter().for_each(super::report::out),
        }
        eprintln!("{} {}", names.len(), noun(args.what, names.len()));
        return Ok(());
    }
    // A book on the arguments' themes and dates, for brief.toml's audience
    // unless one is given: what it may see is what is listed.
    let project = crate::project::load(args.corpus.data())?;
    let settings = BookSettings {
        font_path: args.corpus.font_path.clone(),
        audience: args.audience.clone(),
        ..Default::default()
    };
    let range = DateRange { from: args.from, to: args.to };
    if range.is_reversed() {
        return Err(Error::Usage("--from is after --to".into()));
    }
    let scope = Scope::of(args.themes.clone(), None);
    let book = Book::ad_hoc(scope, range, None, settings, project.as_ref());
    let session =
        Session::open(args.corpus.data(), std::slice::from_ref(&book), &Default::default())?;
    crate::diag::emit(&session.loaded.files, &session.warnings, args.corpus.diagnostic_format);
    let files = project.map(|p| p.files).unwrap_or_default();
    let project = ProjectFile { path: &session.project, files: &files };
    let query = book.resolve(session.corpus(), args.corpus.data(), project)?.query;
    let visible = session.corpus().visible_to(query.audience);
    let corpus = &*visible.corpus;
    let selection = select::select(&visible, query);
    let (columns, rows) = rows(args.what, corpus, &selection, args.corpus.data());
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

/// The listings that need no corpus: the citation styles, the font
/// families; `None` for the others.
fn names(args: &ListArgs) -> Result<Option<Vec<String>>> {
    Ok(match args.what {
        Listing::Styles => {
            Some(crate::settings::style_names().into_iter().map(String::from).collect())
        }
        Listing::Fonts => {
            let fonts = crate::render::fonts::Fonts::with_dirs(args.corpus.font_path.as_slice())?;
            Some(fonts.families())
        }
        _ => None,
    })
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
        Listing::Styles => ("citation style", "citation styles"),
        Listing::Fonts => ("font family", "font families"),
    };
    if n == 1 { one } else { many }
}

/// The columns of a listing (its JSON field names, documented in the
/// README) and its rows.
fn rows(
    what: Listing,
    corpus: &Corpus,
    s: &Selection,
    data: &std::path::Path,
) -> (Vec<&'static str>, Vec<Vec<Value>>) {
    let date = |d: Option<PartialDate>| d.map_or(Value::Null, |d| json!(d.to_string()));
    // An item's handling level, as the audience rules reckon it (its own
    // or its source's, whichever is higher); null without levels.yaml.
    let level = |rank: usize| match corpus.levels.get(rank) {
        Some(level) => json!(level.id),
        None => Value::Null,
    };
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
                let handling = level(corpus.rank_of(x.handling.as_deref(), &x.id));
                vec![json!(x.id), json!(x.short), json!(x.kind), date(x.date), used, handling]
            })
            .collect(),
        Listing::Findings => s
            .findings
            .iter()
            .map(|f| {
                let (id, source, themes) = (json!(f.id), json!(f.source), json!(f.themes));
                let handling = level(corpus.finding_rank(f));
                // Where to open it: relative to where brief runs.
                let path = json!(data.join(&f.path).display().to_string());
                vec![id, date(f.date), source, themes, json!(f.key), json!(f.title), handling, path]
            })
            .collect(),
        Listing::Events => s
            .events
            .iter()
            .map(|e| {
                let (id, themes, title) = (json!(e.id), json!(e.themes), json!(e.title));
                let handling = level(corpus.event_rank(e));
                vec![id, date(Some(e.date)), date(e.end), themes, title, handling]
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
        // Listed by `names`, with no corpus.
        Listing::Styles | Listing::Fonts => Vec::new(),
    };
    (columns(what), rows)
}

/// The columns of a listing, in order (its JSON field names).
fn columns(what: Listing) -> Vec<&'static str> {
    match what {
        Listing::Themes => vec!["id", "title", "findings"],
        Listing::Sources => vec!["id", "short", "kind", "date", "findings", "handling"],
        Listing::Findings => {
            vec!["id", "date", "source", "themes", "key", "title", "handling", "path"]
        }
        Listing::Events => vec!["id", "date", "end", "themes", "title", "handling"],
        Listing::Issues => vec!["id", "assessment", "findings", "title"],
        Listing::Participants => vec!["id", "name", "role", "source"],
        Listing::Meetings => vec!["id", "date", "items", "attendees", "title"],
        Listing::Styles | Listing::Fonts => vec!["name"],
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

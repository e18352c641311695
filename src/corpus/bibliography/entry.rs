//! What every bibliographic entry goes through before it is kept, and the
//! bibliography text made of the kept ones: math made inert, only web and
//! mail links kept, and hayagriva's own reading of it, as Typst will read
//! it. No I/O here.

use serde_yaml::{Mapping, Value as Yaml};

use crate::corpus::markdown::LIVE_SCHEMES;
use crate::corpus::model::Entry;

/// Makes math inert: every unescaped `$` in a string hayagriva wrote (a
/// BibTeX title's `$x^2$`) is escaped, so Typst prints it instead of
/// evaluating it. Braces (BibTeX's case protection) keep their meaning.
pub(super) fn defuse(value: &mut Yaml) {
    match value {
        Yaml::String(s) if s.contains('$') => {
            let mut out = String::with_capacity(s.len() + 2);
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        out.push('\\');
                        out.extend(chars.next());
                    }
                    '$' => out.push_str("\\$"),
                    c => out.push(c),
                }
            }
            *s = out;
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(defuse),
        Yaml::Mapping(m) => m.iter_mut().for_each(|(_, v)| defuse(v)),
        Yaml::Tagged(t) => defuse(&mut t.value),
        _ => {}
    }
}

/// Drops links that would not be web or mail links (`javascript:`,
/// `file:`), at any depth: as in findings, only those are made live.
pub(super) fn drop_dead_links(value: &mut Yaml) {
    match value {
        Yaml::Mapping(m) => {
            let live = |v: &Yaml| {
                let url = match v {
                    Yaml::String(s) => Some(s.as_str()),
                    Yaml::Mapping(m) => m.get("value").and_then(Yaml::as_str),
                    _ => None,
                };
                url.and_then(|u| u.split_once(':')).is_some_and(|(scheme, _)| {
                    LIVE_SCHEMES.contains(&scheme.to_lowercase().as_str())
                })
            };
            if m.get("url").is_some_and(|u| !live(u)) {
                m.remove("url");
            }
            m.iter_mut().for_each(|(_, v)| drop_dead_links(v));
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(drop_dead_links),
        _ => {}
    }
}

/// Checks an entry by handing it to hayagriva, as Typst will.
pub(super) fn check(key: &str, yaml: &Yaml) -> Result<(), String> {
    let mut library = Mapping::new();
    library.insert(Yaml::String(key.to_string()), yaml.clone());
    let text = serde_yaml::to_string(&library).map_err(|e| e.to_string())?;
    hayagriva::io::from_yaml_str(&text).map(|_| ()).map_err(|e| e.to_string())
}

/// The YAML text of a set of entries: the bibliography Typst reads.
pub fn library_yaml<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut library = Mapping::new();
    for e in entries {
        library.insert(Yaml::String(e.key.clone()), e.yaml.clone());
    }
    if library.is_empty() {
        return String::new();
    }
    serde_yaml::to_string(&library).expect("a mapping of strings serialises")
}

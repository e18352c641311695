//! The participant annex: people attached to the selected sources, grouped
//! by meeting or paper, sorted by surname ignoring honorifics. Pure.

use super::view::{AnnexGroupView, PersonView};
use crate::corpus::Corpus;
use crate::corpus::model::{Participant, Role};
use crate::date::PartialDate;
use crate::select::Selection;

/// Honorifics and rank words that never count as a name, compared without
/// dots, brackets or case.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "amb",
    "ambassador",
    "hon",
    "he",
    "sir",
    "dame",
    "lord",
    "lady",
    "gen",
    "general",
    "lt",
    "ltgen",
    "lieutenant",
    "maj",
    "major",
    "majgen",
    "brig",
    "brigadier",
    "col",
    "colonel",
    "capt",
    "captain",
    "cdr",
    "adm",
    "admiral",
    "air",
    "marshal",
    "vice",
    "rear",
    "sen",
    "senator",
    "rep",
    "ret",
    "retd",
    "retired",
    "rtd",
];

/// The surname of a name that may start with honorifics: the last word
/// once leading honorifics ("Lt. Gen. (retd)", "Amb.", "Dr") are dropped.
///
/// ```
/// use brief::compose::surname;
/// assert_eq!(surname("Lt. Gen. (retd) Asad Durrani"), "Durrani");
/// assert_eq!(surname("Amb. Aziz Ahmad Khan"), "Khan");
/// assert_eq!(surname("Prof. Paolo Cotta-Ramusino"), "Cotta-Ramusino");
/// ```
pub fn surname(name: &str) -> &str {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first_name_word = words
        .iter()
        .position(|w| {
            let bare: String =
                w.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
            !HONORIFICS.contains(&bare.as_str()) && !bare.is_empty()
        })
        .unwrap_or(words.len().saturating_sub(1));
    words[first_name_word..].last().copied().unwrap_or(name)
}

/// The sort key of a participant: explicit `sort_as`, else the surname,
/// then the whole name, compared without case.
pub(super) fn sort_key(p: &Participant) -> (String, String, String) {
    let surname = p.sort_as.as_deref().unwrap_or_else(|| surname(&p.name));
    (surname.to_lowercase(), p.name.to_lowercase(), p.id.clone())
}

pub(super) fn compose(selection: &Selection) -> Vec<AnnexGroupView> {
    selection
        .sources
        .iter()
        .filter_map(|source| {
            let mut people: Vec<&Participant> =
                selection.participants.iter().copied().filter(|p| p.source == source.id).collect();
            if people.is_empty() {
                return None;
            }
            people.sort_by_cached_key(|p| sort_key(p));
            Some(AnnexGroupView {
                source: source.short.clone(),
                kind: source.kind.clone(),
                date: source.date.map(PartialDate::display),
                people: people.into_iter().map(person).collect(),
            })
        })
        .collect()
}

/// A person as listed.
pub(super) fn person(p: &Participant) -> PersonView {
    PersonView {
        honorific: p.honorific.clone(),
        name: p.name.clone(),
        surname: p.sort_as.clone().unwrap_or_else(|| surname(&p.name).to_string()),
        affiliation: p.affiliation.clone(),
        former: p.former.clone(),
        role: p.role,
    }
}

/// The authors of a source, in the order listed, with honorifics.
pub(super) fn authors(corpus: &Corpus, source: &str) -> Vec<String> {
    corpus
        .participants
        .iter()
        .filter(|p| p.source == source && p.role == Role::Author)
        .map(Participant::full_name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surname_ignores_leading_honorifics_of_every_form() {
        let cases = [
            ("Maj. Gen. (ret) Athar Abbas", "Abbas"),
            ("Lt.-Gen. (ret) Agha Farooq", "Farooq"),
            ("Gen. (ret) Mahmud Durrani", "Durrani"),
            ("Ms Azeema Cheema", "Cheema"),
            ("Dr Ilhan Niaz", "Niaz"),
            ("Dr. Syed Rifaat Hussein", "Hussein"),
            ("Brig. Feroz Khan", "Khan"),
            ("Mrs. Sandra Ionno Butcher", "Butcher"),
            ("Trevor Martin", "Martin"),
            ("Madonna", "Madonna"),
            ("Amb.", "Amb."),
        ];
        for (name, expected) in cases {
            assert_eq!(surname(name), expected, "{name}");
        }
    }

    #[test]
    fn participants_sort_by_surname_then_name() {
        let person = |id: &str, honorific: &str, name: &str, sort_as: Option<&str>| Participant {
            id: id.into(),
            source: "s".into(),
            role: Role::Participant,
            honorific: Some(honorific.into()),
            name: name.into(),
            affiliation: None,
            former: Vec::new(),
            sort_as: sort_as.map(Into::into),
        };
        let mut people = [
            person("z", "Amb.", "Zed Khan", None),
            person("a", "Lt. Gen. (retd)", "Asad Durrani", None),
            person("h", "Dr.", "Humayun Khan", None),
            person("v", "Mr.", "Ludwig van Beethoven", Some("Beethoven")),
            person("c", "Prof.", "Paolo Cotta-Ramusino", None),
        ];
        people.sort_by_cached_key(sort_key);
        let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["v", "c", "a", "h", "z"]);
    }
}

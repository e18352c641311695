//! Book settings: every per-book option in one type, with the built-in
//! defaults and the one merge that layers them.
//!
//! Domain data, no I/O. The same type is a set of command-line flags
//! (flattened into clap), a `[defaults]` table and a `[[book]]` table of
//! brief.toml; [`BookSettings::over`] layers them (built-in defaults <
//! brief.toml defaults < standing book < flags). Adding an option means a
//! field here, its line in `over`, and the stage that uses it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The title a book gets when nothing names one.
pub const DEFAULT_TITLE: &str = "Briefing book";
/// The handling line a book gets when nothing names one.
pub const DEFAULT_HANDLING: &str = "For meeting use";

/// Every per-book option. `None` means "not set at this layer"; the
/// accessors give the built-in default when no layer set it.
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookSettings {
    /// The book's title [default: "Briefing book"].
    #[arg(long)]
    pub title: Option<String>,
    /// The handling line on the cover and every page [default: "For meeting
    /// use"].
    #[arg(long)]
    pub handling: Option<String>,
    /// Paper size [default: a4]; `letter` and any case are accepted too.
    #[arg(long, value_enum, ignore_case = true)]
    pub paper: Option<Paper>,
    /// Set for two-sided printing: every major section starts on a
    /// right-hand page (`--duplex=false` undoes a brief.toml `duplex`).
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub duplex: Option<bool>,
    /// Text set lightly across every page, e.g. DRAFT.
    #[arg(long, value_name = "TEXT")]
    pub watermark: Option<String>,
    /// Make the PDF conform to a standard.
    #[arg(long, value_enum, value_name = "STANDARD")]
    pub pdf_standard: Option<PdfStandard>,
    /// A directory of .typ files replacing shipped templates of the same
    /// name (in brief.toml: relative to the project directory).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// The organisation the book is for, on the cover.
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
    /// The organisation's logo, a PNG, JPEG or SVG file inside the project
    /// (in brief.toml: relative to the project directory), on the cover.
    #[arg(long, value_name = "FILE")]
    pub logo: Option<PathBuf>,
    /// The accent colour of headings, rules and links, as `#rrggbb`.
    #[arg(long, value_name = "COLOUR", value_parser = parse_colour)]
    #[serde(default, deserialize_with = "de_colour")]
    pub accent: Option<String>,
    /// The line at the foot of the cover.
    #[arg(long, value_name = "TEXT")]
    pub footer: Option<String>,
    /// A directory of font files (.ttf, .otf, .ttc) added beside the
    /// shipped fonts, searched below too; system fonts are used only if
    /// their directory is named (in brief.toml: relative to the project
    /// directory).
    #[arg(long, value_name = "DIR")]
    pub font_path: Option<PathBuf>,
    /// The font family of the text, one `brief list fonts` lists (a
    /// shipped one or one of `font-path`) [default: Noto Serif].
    #[arg(long, value_name = "FAMILY")]
    pub font: Option<String>,
    /// The font family of headings, running heads, table heads and the
    /// cover's small type, one `brief list fonts` lists [default: Noto
    /// Sans].
    #[arg(long, value_name = "FAMILY")]
    pub heading_font: Option<String>,
    /// The audience's handling level (an id of levels.yaml): everything
    /// above it is left out, and the book says how much.
    #[arg(long, value_name = "LEVEL")]
    pub audience: Option<String>,
    /// The citation style of the source list and of each finding's
    /// provenance: a style Typst ships, by name (`apa`, `ieee`,
    /// `chicago-notes`...), or a `.csl` file inside the project (in
    /// brief.toml: relative to the project directory) [default:
    /// chicago-author-date].
    #[arg(long, value_name = "FILE|NAME", value_parser = parse_csl)]
    #[serde(default, deserialize_with = "de_csl")]
    pub csl: Option<CitationStyle>,
    /// One numbered copy per recipient, out/<book>/copy-NN.pdf, and a
    /// register: `attendees` (a meeting's) or a file with a name a line
    /// (in brief.toml: a `[[book]]` setting, the file relative to the
    /// project directory).
    #[arg(long, value_name = "attendees|FILE", value_parser = parse_copies_for)]
    #[serde(default, deserialize_with = "de_copies_for")]
    pub copies_for: Option<CopiesFor>,
}

/// Whom numbered copies are made for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopiesFor {
    /// The meeting's attendees, in the order of its list.
    Attendees,
    /// The names in a file, one a line (blank lines and `#` comments are
    /// skipped).
    File(PathBuf),
}

/// `attendees`, or a recipients file (kept as given).
///
/// ```
/// use brief::settings::{CopiesFor, parse_copies_for};
/// assert_eq!(parse_copies_for("attendees").unwrap(), CopiesFor::Attendees);
/// assert_eq!(parse_copies_for("names.txt").unwrap(), CopiesFor::File("names.txt".into()));
/// assert!(parse_copies_for("").is_err());
/// ```
pub fn parse_copies_for(text: &str) -> Result<CopiesFor, String> {
    match text {
        "" => Err("expected `attendees` or a file with a name a line".into()),
        "attendees" => Ok(CopiesFor::Attendees),
        file => Ok(CopiesFor::File(PathBuf::from(file))),
    }
}

impl Serialize for CopiesFor {
    /// As written: `attendees` or the file.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CopiesFor::Attendees => s.serialize_str("attendees"),
            CopiesFor::File(path) => path.serialize(s),
        }
    }
}

fn de_copies_for<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<CopiesFor>, D::Error> {
    let text = String::deserialize(d)?;
    parse_copies_for(&text).map(Some).map_err(serde::de::Error::custom)
}

/// The citation style a book gets when nothing names one: Chicago
/// author-date. Policy writing cites reports, papers and meetings, mostly
/// of institutions; Chicago is the style think tanks and government
/// publishers most often follow, and its author-date form keeps each
/// finding's provenance short and readable in place ("(Pugwash
/// Conferences on Science and World Affairs 2012, para. 17)") where a
/// number would send the reader to the end and a note style would give
/// every finding a footnote.
pub const DEFAULT_CSL: &str = "chicago-author-date";

/// A citation style: one Typst ships, by name, or a `.csl` file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CitationStyle {
    /// A style Typst ships (`apa`, `ieee`, `chicago-notes`...), by its
    /// lowercase name.
    Named(String),
    /// A `.csl` file (in brief.toml: relative to the project directory).
    File(PathBuf),
}

/// A citation style: a `.csl` file (kept as given), or the name of a style
/// Typst ships (any case).
///
/// ```
/// use brief::settings::{CitationStyle, parse_csl};
/// assert_eq!(parse_csl("IEEE").unwrap(), CitationStyle::Named("ieee".into()));
/// assert_eq!(parse_csl("house.csl").unwrap(), CitationStyle::File("house.csl".into()));
/// assert!(parse_csl("chicago-author-dat").unwrap_err().contains("chicago-author-date"));
/// assert!(parse_csl("chicago").unwrap_err().contains("`chicago-author-date`, `chicago-"));
/// ```
pub fn parse_csl(text: &str) -> Result<CitationStyle, String> {
    let path = std::path::Path::new(text);
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csl")) {
        return Ok(CitationStyle::File(path.to_path_buf()));
    }
    let name = text.to_lowercase();
    if hayagriva::archive::ArchivedStyle::by_name(&name).is_some() {
        return Ok(CitationStyle::Named(name));
    }
    let names = style_names();
    let starting: Vec<&str> = names.iter().copied().filter(|n| n.starts_with(&name)).collect();
    let hint = match (starting.as_slice(), crate::suggest::nearest(&name, names.iter().copied())) {
        ([one], _) => format!("did you mean `{one}`?"),
        ([_, ..], _) => format!(
            "did you mean one of `{}`? (`brief list styles` lists every name)",
            starting.join("`, `")
        ),
        ([], Some(near)) => format!("did you mean `{near}`?"),
        ([], None) => "`brief list styles` lists the names".to_string(),
    };
    Err(format!("`{text}` is neither a citation style Typst ships nor a .csl file: {hint}"))
}

/// The names of the citation styles Typst ships, sorted.
pub fn style_names() -> Vec<&'static str> {
    let all = hayagriva::archive::ArchivedStyle::all();
    let mut names: Vec<&str> = all.iter().flat_map(|s| s.names().iter().copied()).collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn de_csl<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<CitationStyle>, D::Error> {
    let text = String::deserialize(d)?;
    parse_csl(&text).map(Some).map_err(serde::de::Error::custom)
}

/// The virtual path the book's logo is served at: `/brand/logo.<ext>`,
/// keeping the file's extension so Typst knows its format.
pub fn logo_vpath(logo: &std::path::Path) -> String {
    let ext = logo.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    format!("/brand/logo.{ext}")
}

/// A colour as `#rgb` or `#rrggbb`, normalised to lowercase `#rrggbb`.
///
/// ```
/// assert_eq!(brief::settings::parse_colour("#7A1F1F").unwrap(), "#7a1f1f");
/// assert_eq!(brief::settings::parse_colour("#abc").unwrap(), "#aabbcc");
/// assert!(brief::settings::parse_colour("red").is_err());
/// ```
pub fn parse_colour(text: &str) -> Result<String, String> {
    let refuse = || format!("`{text}` is not a colour: write it as #rrggbb, e.g. #1f3a5f");
    let hex = text.strip_prefix('#').ok_or_else(refuse)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(refuse());
    }
    match hex.len() {
        6 => Ok(format!("#{}", hex.to_lowercase())),
        3 => {
            Ok(format!("#{}", hex.chars().flat_map(|c| [c, c]).collect::<String>().to_lowercase()))
        }
        _ => Err(refuse()),
    }
}

fn de_colour<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    parse_colour(&text).map(Some).map_err(serde::de::Error::custom)
}

impl BookSettings {
    /// These settings, with every option they leave unset taken from
    /// `lower`.
    ///
    /// ```
    /// use brief::settings::{BookSettings, Paper};
    /// let flags = BookSettings { title: Some("Mine".into()), ..Default::default() };
    /// let book = BookSettings { title: Some("Book".into()), paper: Some(Paper::UsLetter), ..Default::default() };
    /// let merged = flags.over(book);
    /// assert_eq!((merged.title(), merged.paper()), ("Mine", Paper::UsLetter));
    /// assert_eq!(merged.handling(), "For meeting use");
    /// ```
    pub fn over(self, lower: BookSettings) -> BookSettings {
        BookSettings {
            title: self.title.or(lower.title),
            handling: self.handling.or(lower.handling),
            paper: self.paper.or(lower.paper),
            duplex: self.duplex.or(lower.duplex),
            watermark: self.watermark.or(lower.watermark),
            pdf_standard: self.pdf_standard.or(lower.pdf_standard),
            templates: self.templates.or(lower.templates),
            organisation: self.organisation.or(lower.organisation),
            logo: self.logo.or(lower.logo),
            accent: self.accent.or(lower.accent),
            footer: self.footer.or(lower.footer),
            font_path: self.font_path.or(lower.font_path),
            font: self.font.or(lower.font),
            heading_font: self.heading_font.or(lower.heading_font),
            audience: self.audience.or(lower.audience),
            csl: self.csl.or(lower.csl),
            copies_for: self.copies_for.or(lower.copies_for),
        }
    }

    /// The brief.toml keys of the options this layer sets, sorted.
    pub fn keys_set(&self) -> Vec<String> {
        let value = serde_json::to_value(self).expect("settings serialise");
        let fields = value.as_object().into_iter().flatten();
        let mut keys: Vec<String> =
            fields.filter(|(_, v)| !v.is_null()).map(|(k, _)| k.clone()).collect();
        keys.sort();
        keys
    }

    /// The cover title.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(DEFAULT_TITLE)
    }

    /// The handling line.
    pub fn handling(&self) -> &str {
        self.handling.as_deref().unwrap_or(DEFAULT_HANDLING)
    }

    /// The paper size.
    pub fn paper(&self) -> Paper {
        self.paper.unwrap_or_default()
    }

    /// The name of the citation style Typst ships that the book is set
    /// in ([`DEFAULT_CSL`] unless another is named); `None` for a `.csl`
    /// file.
    pub fn csl_name(&self) -> Option<&str> {
        match &self.csl {
            None => Some(DEFAULT_CSL),
            Some(CitationStyle::Named(name)) => Some(name),
            Some(CitationStyle::File(_)) => None,
        }
    }

    /// The book's own `.csl` file, if it is set in one.
    pub fn csl_file(&self) -> Option<&std::path::Path> {
        match &self.csl {
            Some(CitationStyle::File(path)) => Some(path),
            _ => None,
        }
    }

    /// Whether the book is set for two-sided printing.
    pub fn duplex(&self) -> bool {
        self.duplex.unwrap_or(false)
    }
}

/// Paper sizes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in (also `letter`, as Pandoc and LaTeX write it).
    #[value(alias = "letter")]
    UsLetter,
}

impl<'de> Deserialize<'de> for Paper {
    /// As on the command line: `a4`, `us-letter` or `letter`, in any case.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match name.to_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "us-letter" | "letter" => Ok(Paper::UsLetter),
            _ => Err(serde::de::Error::custom(format!(
                "unknown paper `{name}`: expected `a4` or `us-letter` (or `letter`)"
            ))),
        }
    }
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

/// PDF standards a book can be made to conform to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum, Deserialize, Serialize)]
pub enum PdfStandard {
    /// PDF/A-2b, for archiving.
    #[value(name = "a-2b")]
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/A-3b, for archiving with the edition record embedded (PDF/A-2
    /// allows no attachment but a PDF/A file).
    #[value(name = "a-3b")]
    #[serde(rename = "a-3b")]
    A3b,
    /// PDF/UA-1, accessible (tagged, with a document language and alt text).
    #[value(name = "ua-1")]
    #[serde(rename = "ua-1")]
    Ua1,
}

/// The names of a deserialisable struct's fields, read from its `Deserialize`
/// impl, so a list of accepted keys can never disagree with the type.
pub fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);

    #[derive(Debug)]
    struct Stop;
    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("probe")
        }
    }
    impl std::error::Error for Stop {}
    impl serde::de::Error for Stop {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Stop
        }
    }

    impl<'de> serde::Deserializer<'de> for Probe<'_> {
        type Error = Stop;
        fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_book_which_beats_the_defaults() {
        let defaults = BookSettings {
            handling: Some("Restricted".into()),
            duplex: Some(true),
            ..Default::default()
        };
        let book = BookSettings { paper: Some(Paper::UsLetter), ..Default::default() };
        let flags = BookSettings { duplex: Some(false), ..Default::default() };
        let merged = flags.over(book.over(defaults));
        assert_eq!(merged.handling(), "Restricted");
        assert_eq!(merged.paper(), Paper::UsLetter);
        assert!(!merged.duplex());
        assert_eq!(merged.title(), DEFAULT_TITLE);
    }

    #[test]
    fn the_keys_set_are_named_as_in_brief_toml() {
        assert!(BookSettings::default().keys_set().is_empty());
        let some = BookSettings {
            pdf_standard: Some(PdfStandard::Ua1),
            font_path: Some("fonts".into()),
            ..Default::default()
        };
        assert_eq!(some.keys_set(), ["font-path", "pdf-standard"]);
    }

    #[test]
    fn field_names_come_from_the_type() {
        assert_eq!(
            field_names::<BookSettings>(),
            [
                "title",
                "handling",
                "paper",
                "duplex",
                "watermark",
                "pdf-standard",
                "templates",
                "organisation",
                "logo",
                "accent",
                "footer",
                "font-path",
                "font",
                "heading-font",
                "audience",
                "csl",
                "copies-for"
            ]
        );
    }
}

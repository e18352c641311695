//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use brief::cli::Cli;
use brief::plan::Request;
use clap::Parser;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped corpus.
pub fn shipped() -> PathBuf {
    root().join("data")
}

/// A fixture project's directory: tests/fixtures/NAME, made whole if it is
/// basic plus an overlay (see fixtures.rs).
pub fn fixture_dir(name: &str) -> PathBuf {
    crate::fixtures::dir(name)
}

/// A fixture corpus.
pub fn fixture(name: &str) -> PathBuf {
    fixture_dir(name).join("data")
}

/// A build request as the command line would make it, with a fixed date.
#[track_caller]
pub fn must_request(data: &Path, args: &[&str]) -> Request {
    let mut argv = vec!["brief", "--data", data.to_str().unwrap()];
    if !args.contains(&"--date") {
        argv.extend(["--date", "2026-11-23"]);
    }
    let cli = Cli::try_parse_from(argv.iter().chain(args)).expect("valid arguments");
    cli.build
        .into_request(|| unreachable!("the date is fixed"), |_| Ok(None))
        .expect("a valid request")
}

/// Runs the pipeline up to the PDF, writing nothing; no warnings allowed.
#[track_caller]
pub fn must_make(data: &Path, args: &[&str]) -> brief::Artifact {
    let built = brief::make(&must_request(data, args)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(built.rendered.warnings.is_empty(), "Typst warnings: {:?}", built.rendered.warnings);
    built
}

/// Text with whitespace and hyphens removed, so line breaks and
/// hyphenation in the layout do not matter.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}' | '\u{ad}' | '\u{200b}'))
        .collect()
}

/// The whole laid-out text of a book, squashed.
pub fn laid_out(built: &brief::Artifact) -> String {
    squash(&built.rendered.text().join("\n"))
}

/// Asserts the book's laid-out text contains `needle` (squashed).
#[track_caller]
pub fn assert_printed(text: &str, needle: &str) {
    assert!(text.contains(&squash(needle)), "not printed: {needle:?}");
}

/// Asserts the book's laid-out text does not contain `needle` (squashed).
#[track_caller]
pub fn assert_not_printed(text: &str, needle: &str) {
    assert!(!text.contains(&squash(needle)), "printed but should not be: {needle:?}");
}

/// The meeting fixture with sides and a role at the table and a response
/// to what the other side may raise (edits that keep every line where it
/// is, for the tests that locate problems by line).
pub fn seated_meeting() -> TestProject {
    let p = TestProject::from_fixture("meeting");
    p.edit("data/meetings.yaml", |t| {
        t.replace(
            "attendees: [asad, zed, aftab, newcomer]",
            "attendees: [asad, {id: zed, side: us}, {id: aftab, side: pakistan, role: Chair}, newcomer]",
        )
        .replace(
            "- text: They will ask about strikes.\n          likelihood: certain",
            "- {text: They will ask about strikes., likelihood: certain,\n           response: \"Strikes violate our sovereignty; we say so plainly.\"}",
        )
    });
    p
}

/// A temporary project holding a copy of a fixture (its `data/` and any
/// brief.toml), to run the `brief` binary in and edit between runs, as
/// mdBook's `BookTest` and just's `Test` do.
pub struct TestProject {
    dir: tempfile::TempDir,
}

impl TestProject {
    /// A copy of `tests/fixtures/<name>/` (made whole, see fixtures.rs).
    pub fn from_fixture(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(name), dir.path());
        Self { dir }
    }

    /// The project directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file, relative to the project directory.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Rewrites a text file; the edit must change it.
    #[track_caller]
    pub fn edit(&self, relative: &str, edit: impl FnOnce(&str) -> String) -> &Self {
        let path = self.path().join(relative);
        let before = std::fs::read_to_string(&path).unwrap();
        let after = edit(&before);
        assert_ne!(before, after, "the edit of {relative} changed nothing");
        std::fs::write(path, after).unwrap();
        self
    }

    /// A file's bytes.
    pub fn read(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.path().join(relative)).unwrap()
    }

    /// Runs `brief check --diagnostic-format short`: a diagnostic a line.
    pub fn check(&self) -> Ran {
        self.run(&["check", "--diagnostic-format", "short"])
    }

    /// Runs `brief` in the project directory.
    pub fn run(&self, args: &[&str]) -> Ran {
        run_in(self.path(), args)
    }
}

/// Runs `brief` in `dir`, without the environment that would change what
/// it makes (SOURCE_DATE_EPOCH, BRIEF_DATA).
pub fn run_in(dir: &Path, args: &[&str]) -> Ran {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("BRIEF_DATA")
        .output()
        .expect("brief runs");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// What a run of `brief` did.
#[derive(Debug)]
pub struct Ran {
    /// The exit code.
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Ran {
    /// Asserts the exit code, showing stderr if it differs.
    #[track_caller]
    pub fn must_exit(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "stderr:\n{}", self.stderr);
        self
    }

    /// Asserts the exit code, and that each of `expected` begins a line of
    /// stderr (the line's leading blanks aside): a whole short-format
    /// diagnostic or its start (`data/x.md:5:8: error: unknown theme`), a
    /// message, or a line of a snippet (`= hint: did you mean `alpha`?`).
    /// One that ends in a newline must be the whole line.
    #[track_caller]
    pub fn must_report(&self, code: i32, expected: &[&str]) -> &Self {
        self.must_exit(code);
        let lines: Vec<&str> = self.stderr.lines().map(str::trim_start).collect();
        let found = |e: &&str| match e.strip_suffix('\n') {
            Some(whole) => lines.contains(&whole),
            None => lines.iter().any(|line| line.starts_with(e)),
        };
        let missing: Vec<&&str> = expected.iter().filter(|e| !found(e)).collect();
        assert!(missing.is_empty(), "no line of stderr starts {missing:?}:\n{}", self.stderr);
        self
    }
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl TestProject {
    /// A project whose corpus is the project directory itself: the files
    /// of `tests/fixtures/<name>/data/` at its root, for `--data .`.
    pub fn with_corpus_at_root(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture(name), dir.path());
        Self { dir }
    }

    /// Runs `brief` in the project directory under a umask, e.g. `"027"`.
    pub fn run_with_umask(&self, umask: &str, args: &[&str]) -> Ran {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("BRIEF_DATA")
            .output()
            .expect("sh runs");
        Ran {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }

    /// Starts `brief watch ARGS` in the project directory.
    pub fn watch(&self, args: &[&str]) -> Watching {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
            .arg("watch")
            .args(args)
            .current_dir(self.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("BRIEF_DATA")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("brief watch starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        // A thread reads stderr so that every wait below has a deadline.
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, lines, seen: Vec::new() }
    }
}

/// A running `brief watch`, killed when dropped.
pub struct Watching {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Every stderr line read so far.
    pub seen: Vec<String>,
}

impl Watching {
    /// The line a finished build prints.
    pub const BUILT: &'static str = "watch: built in";

    /// Waits for the next build to finish; fails if none does within
    /// `limit` or the watch ends.
    #[track_caller]
    pub fn must_build_within(&mut self, limit: std::time::Duration) {
        let deadline = std::time::Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let built = line.contains(Self::BUILT);
                    self.seen.push(line);
                    if built {
                        return;
                    }
                }
                Err(why) => panic!("no build within {limit:?} ({why}); stderr:\n{}", self.stderr()),
            }
        }
    }

    /// How many builds finish within `period` (the watch must not end).
    #[track_caller]
    pub fn builds_within(&mut self, period: std::time::Duration) -> usize {
        let deadline = std::time::Instant::now() + period;
        let mut builds = 0;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    builds += usize::from(line.contains(Self::BUILT));
                    self.seen.push(line);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return builds,
                Err(why) => panic!("the watch ended ({why}); stderr:\n{}", self.stderr()),
            }
        }
    }

    /// What the watch printed so far.
    pub fn stderr(&self) -> String {
        self.seen.join("\n")
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Renders one finding with `body` (as Markdown) through the real
/// converter, templates and compiler, in a corpus of one theme and one
/// source; no Typst warning allowed.
#[track_caller]
pub fn must_render_body(body: &str) -> brief::render::Rendered {
    must_render_flavoured(body, brief::corpus::markdown::Flavour::CommonMark)
}

/// [`must_render_body`], with `body` read as Markdown of `flavour`.
#[track_caller]
pub fn must_render_flavoured(
    body: &str,
    flavour: brief::corpus::markdown::Flavour,
) -> brief::render::Rendered {
    use brief::corpus::model::{Finding, Source, Theme};
    let blocks =
        brief::corpus::markdown::convert_flavoured(body, &mut |_, _| None, None, flavour).blocks;
    let corpus = brief::corpus::Corpus {
        themes: vec![Theme {
            id: "t".into(),
            title: "T".into(),
            description: "D.".into(),
            aliases: vec![],
        }],
        sources: vec![Source {
            id: "s".into(),
            short: "S".into(),
            title: None,
            kind: "k".into(),
            organisation: None,
            place: None,
            date: None,
            r#abstract: "A.".into(),
            note: None,
            handling: None,
            seed: None,
        }],
        findings: vec![Finding {
            id: "f".into(),
            title: "Finding under test".into(),
            themes: vec!["t".into()],
            source: "s".into(),
            body: blocks,
            path: PathBuf::from("f.md"),
            ..Default::default()
        }],
        ..Default::default()
    };
    let visible = corpus.visible_to(None);
    let selection = brief::select::select(&visible, brief::select::Query::default());
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let settings = brief::settings::BookSettings {
        title: Some("T".into()),
        handling: Some("H".into()),
        ..Default::default()
    };
    let book = brief::compose::compose(&selection, &settings, as_of);
    let options = brief::render::RenderOptions {
        templates: brief::render::Templates::default(),
        corpus_dir: root(),
        images: Default::default(),
        as_of,
        ident: "t".into(),
        standard: None,
        brand: Default::default(),
        fonts: brief::render::fonts::Fonts::shipped(),
    };
    let rendered = brief::render::render(&book, &options)
        .unwrap_or_else(|e| panic!("content broke the build: {e:?}\n{body:?}"));
    assert!(rendered.warnings.is_empty(), "Typst warnings: {:?}", rendered.warnings);
    rendered
}

/// Handling levels (levels.yaml), lowest first, for the tests of
/// audiences.
pub const LEVELS: &str = "\
- id: public
  banner: Public
- id: meeting
  banner: For meeting use
- id: restricted
  banner: Restricted
";

/// One-sided margins on A4 (style.typ): the 132 mm measure with 20 mm on
/// the right, so 58 mm on the left, in points.
pub const LEFT_MARGIN: f64 = 58.0 * 72.0 / 25.4;
/// The one-sided right margin, in points.
pub const RIGHT_MARGIN: f64 = 20.0 * 72.0 / 25.4;

/// A run of text as laid out: where it starts, how wide it is, its
/// baseline, size and font, in points.
#[derive(Debug, Clone)]
pub struct Run {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
    pub family: String,
    /// Whether any glyph is the font's "missing glyph" box.
    pub tofu: bool,
}

/// The lines of the document: runs sharing a page and a baseline, left to
/// right.
pub fn lines(runs: &[Run]) -> Vec<Vec<&Run>> {
    let mut lines: Vec<Vec<&Run>> = Vec::new();
    for run in runs {
        match lines.iter_mut().find(|l| l[0].page == run.page && (l[0].y - run.y).abs() < 0.5) {
            Some(line) => line.push(run),
            None => lines.push(vec![run]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A drawn shape's bounding box, in points.
#[derive(Debug)]
pub struct Drawn {
    pub page: usize,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// Every text run and shape of the document, in layout order. Transformed
/// groups (the watermark) are left out.
pub fn items(rendered: &brief::render::Rendered) -> (Vec<Run>, Vec<Drawn>) {
    fn walk(
        page: usize,
        frame: &typst::layout::Frame,
        origin: typst::layout::Point,
        out: &mut (Vec<Run>, Vec<Drawn>),
    ) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                typst::layout::FrameItem::Group(group) if group.transform.is_identity() => {
                    walk(page, &group.frame, at, out)
                }
                typst::layout::FrameItem::Text(run) => out.0.push(Run {
                    page,
                    x: at.x.to_pt(),
                    y: at.y.to_pt(),
                    width: run.width().to_pt(),
                    size: run.size.to_pt(),
                    text: run.text.to_string(),
                    family: run.font.info().family.clone(),
                    tofu: run.glyphs.iter().any(|g| g.id == 0),
                }),
                typst::layout::FrameItem::Shape(shape, _) => {
                    let bbox = shape.bbox(false);
                    out.1.push(Drawn {
                        page,
                        left: (at.x + bbox.min.x).to_pt(),
                        right: (at.x + bbox.max.x).to_pt(),
                        top: (at.y + bbox.min.y).to_pt(),
                        bottom: (at.y + bbox.max.y).to_pt(),
                    })
                }
                _ => {}
            }
        }
    }
    let mut out = (Vec::new(), Vec::new());
    for (i, page) in rendered.document.pages().iter().enumerate() {
        walk(i + 1, &page.frame, typst::layout::Point::zero(), &mut out);
    }
    out
}

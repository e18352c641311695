//! `brief build`: opens a session on the corpus, makes each book through
//! the driver ([`crate::book`]), a book per core at a time, writes each
//! one made and lets it go before the next, and prints: the paths written
//! on stdout, a progress line per book, warnings and timings on stderr. A
//! book that fails is reported and the others are still made.

use std::time::{Duration, Instant};

use super::report::{self, Live, Outcome, Timings};
use crate::book::plan::{Book, Request};
use crate::book::{self, Keep, Made, Memory, Session};
use crate::error::{Error, Result};
use crate::render;

/// Makes and writes every book of the request, in parallel where that
/// helps. Prints each path written on stdout and one progress line per
/// book on stderr (unless quiet).
pub fn build(request: &Request) -> Result<()> {
    run(request, None)
}

/// [`build`], for a watch: with `--timings`, each book's line also says
/// what this build redid since the one `memory` remembers.
pub fn run(request: &Request, memory: Option<&Memory>) -> Result<()> {
    let start = Instant::now();
    let fresh = crate::corpus::Parses::default();
    let parses = memory.map_or(&fresh, Memory::parses);
    // The standing books too: an ad-hoc book may turn out to be one.
    let books: Vec<Book> = request.books.iter().chain(&request.standing).cloned().collect();
    let session = Session::open(&request.data, &books, parses)?;
    crate::diag::emit(&session.loaded.files, &session.warnings, request.output.format);
    let (settled, notes) = book::standing::settle(request, &session)?;
    let request = &settled;
    if !request.output.quiet {
        notes.iter().for_each(|note| eprintln!("{note}"));
    }
    if request.books.is_empty() {
        if !request.output.quiet {
            eprintln!("brief: this shard holds no book");
        }
        return Ok(());
    }
    if let Some(trace) = &request.output.trace {
        // Written whatever happens to the books: never over one of them,
        // nor over a file they are made from.
        session.refuse_input(trace, "--trace")?;
        session.refuse_book_file(request, trace, "--trace")?;
        render::start_trace();
    }
    let result = build_books(request, &session, memory, start.elapsed());
    if let Some(path) = &request.output.trace {
        // The spans point into the templates; books with their own
        // templates are named by the first book's.
        let first = request.books.first().map(book::make::templates);
        render::write_trace(path, &first.and_then(Result::ok).unwrap_or_default())?;
    }
    result
}

fn build_books(
    request: &Request,
    session: &Session,
    memory: Option<&Memory>,
    load: Duration,
) -> Result<()> {
    let reread = memory.filter(|_| request.output.timings).map(|m| m.corpus(&session.loaded));
    let total = request.books.len();
    let live = Live::new(total, !request.output.quiet && !request.output.json);
    let builder = Builder { request, session, memory, live: &live, load, reread };
    if total == 1 {
        let result = builder.one(0, &request.books[0]);
        live.finish();
        return result;
    }
    // Books share the corpus and fonts; Typst's memoised work (comemo) is
    // shared across threads too.
    let failures = each_book(total, |index| {
        let book = &request.books[index];
        let error = builder.one(index, book).err()?;
        live.suspend(|| {
            let name = book.name().filter(|n| !n.is_empty()).unwrap_or("book");
            eprintln!("brief: {name}: failed");
            report::error(&error, request.output.format);
        });
        Some(error.exit_code())
    });
    live.finish();
    match failures.iter().max() {
        None => Ok(()),
        Some(&code) => Err(Error::Books { failed: failures.len(), total, code }),
    }
}

/// Runs `one` for each of `total` books, a few at a time, and gathers what
/// it returns. Each book is made, written and let go of before its thread
/// takes the next, so a run holds at most one book per thread whatever
/// the number of books.
///
/// The books run on threads of their own, one per core (rayon's count,
/// so `RAYON_NUM_THREADS` applies), never on rayon's workers: Typst lays a
/// book's pages out on those workers, and a worker waiting for its pages
/// takes up any other job meanwhile, another book included, on top of its
/// stack. Books on rayon's workers were so started without bound, one
/// inside another: memory grew with the number of books, and at 200 the
/// stack overflowed. The calling thread makes books too, so a run goes on
/// if no thread can be started.
fn each_book<T: Send>(total: usize, one: impl Fn(usize) -> Option<T> + Sync) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut gathered = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if index >= total {
                return gathered;
            }
            gathered.extend(one(index));
        }
    };
    let threads = rayon::current_num_threads().clamp(1, total.max(1));
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                let thread = std::thread::Builder::new().stack_size(crate::STACK);
                thread.spawn_scoped(scope, work).ok()
            })
            .collect();
        let mut gathered = work();
        for helper in helpers {
            match helper.join() {
                Ok(more) => gathered.extend(more),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        gathered
    })
}

/// How many books later a memoised result no book used is let go.
const EVICT_AFTER: usize = 8;

/// What every book of one build shares.
struct Builder<'a> {
    request: &'a Request,
    session: &'a Session,
    memory: Option<&'a Memory>,
    live: &'a Live,
    /// How long loading the corpus took.
    load: Duration,
    /// What the load re-read since the watch's last build (`--timings`).
    reread: Option<String>,
}

impl Builder<'_> {
    /// Makes, writes and reports one book.
    fn one(&self, index: usize, book: &Book) -> Result<()> {
        let (request, live) = (self.request, self.live);
        let started = Instant::now();
        let mut timings = Timings { load: self.load, ..Timings::default() };
        let made = self.make_and_write(book, &mut timings);
        live.done();
        // Let go of what only the books made a while ago used, so that a
        // run of many books holds no more than a few books' layouts.
        comemo::evict(EVICT_AFTER);
        if request.output.json {
            report::out(report::json_line(book.name(), made.as_ref(), started.elapsed()));
        }
        let outcome = made?;
        if !request.output.quiet {
            live.println(&report::progress(
                index,
                request.books.len(),
                book.name(),
                &outcome,
                started.elapsed(),
            ));
        }
        if request.output.timings {
            timings.total = self.load + started.elapsed();
            live.println(&report::timings(book.name(), &timings));
        }
        Ok(())
    }

    fn make_and_write(&self, book: &Book, timings: &mut Timings) -> Result<Outcome> {
        let request = self.request;
        let stage = self.live.book(book.name());
        let artifact = match book::make(self.session, request, book, &|s| stage.set(s))? {
            Made::Current(path) => return Ok(Outcome::Unchanged(path)),
            Made::Rendered(artifact) => artifact,
        };
        *timings = Timings { load: timings.load, ..artifact.timings };
        for why in &artifact.warnings {
            self.live.suspend(|| eprintln!("warning: {why}"));
        }
        let rendered = &artifact.rendered;
        crate::diag::emit(&rendered.files, &rendered.warnings, request.output.format);
        let names = artifact.recipients.as_deref();
        if let Some(memory) = self.memory.filter(|_| request.output.timings && names.is_none()) {
            let redone = memory.book(&artifact);
            let reread = self.reread.as_deref().unwrap_or_default();
            self.live.println(&format!("brief: rebuilt: {reread}; {redone}"));
        }
        stage.set(if names.is_some() { "marking copies" } else { "writing" });
        let write = Instant::now();
        let keep = if request.record_editions { Keep::Edition } else { Keep::Draft };
        let written = artifact.write(names, keep)?;
        timings.write = write.elapsed();
        if !request.output.json {
            self.live.suspend(|| written.iter().for_each(|p| report::out(p.display())));
        }
        if request.output.open && names.is_none() {
            report::open(&artifact.path);
        }
        let pages = rendered.pages();
        Ok(match names {
            Some(_) => Outcome::Copies(written, pages),
            None => Outcome::Written(artifact.path.clone(), pages),
        })
    }
}

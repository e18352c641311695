//! The integration tests, as one test binary (the way just, ripgrep and
//! mdBook package theirs): each topic is a module, and brief and Typst
//! are linked once, not once per topic. `cargo test --test integration
//! TOPIC` runs one topic, e.g. `cargo test --test integration handling::`.
//!
//! Everything here needs only the Rust toolchain. The few tests that need
//! more (the CommonMark and GFM examples in ../shared/testdata, and the
//! live comparisons with poppler and qpdf) are reported as ignored where
//! that is missing; build.rs decides which.

// Helpers: running brief and building books (common), fixtures made
// whole (fixtures, which also tests that), reading PDFs (pdf) and the
// proof that those readers see what poppler and qpdf see (pdf_control).
mod common;
mod fixtures;
mod pdf;
mod pdf_control;

// The topics.
mod after_layout;
mod audience;
mod briefing;
mod citations;
mod cli;
mod commonmark;
mod completion;
mod copies;
mod copy_levels;
mod corpus;
mod corpus_hardening;
mod editions;
mod habits;
mod handling;
mod hardening;
mod layers;
mod leftovers;
mod located;
mod meeting;
mod nightly;
mod numbering;
mod obsidian;
mod one_pass;
mod outputs;
mod page;
mod pictures;
mod pipeline;
mod routine;
mod safety;
mod same_pages;
mod snapshots;
mod watch_inputs;
mod zotero;

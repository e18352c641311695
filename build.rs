//! Tells the integration tests what this machine has beside the Rust
//! toolchain, since libtest can report a test as ignored only when it is
//! compiled: `shared_testdata` when ../shared/testdata/commonmark (the
//! CommonMark and GFM spec examples) is there, `pdf_tools` when poppler's
//! pdftotext, pdffonts and pdfdetach and qpdf are on PATH (for the live
//! comparisons of the tests' PDF readers with them). Nothing else: it
//! runs again only when PATH, a tool found or the test data changes (a
//! testdata folder that appears later is seen after `touch build.rs`).
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(shared_testdata)");
    println!("cargo::rustc-check-cfg=cfg(pdf_tools)");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let testdata = Path::new(&root).join("../shared/testdata/commonmark");
    if testdata.is_dir() {
        println!("cargo::rustc-cfg=shared_testdata");
        println!("cargo::rerun-if-changed={}", testdata.display());
    }
    println!("cargo::rerun-if-env-changed=PATH");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let tools: Vec<_> = ["pdftotext", "pdffonts", "pdfdetach", "qpdf"]
        .iter()
        .map(|tool| std::env::split_paths(&path).map(|d| d.join(tool)).find(|t| t.is_file()))
        .collect();
    if tools.iter().all(Option::is_some) {
        println!("cargo::rustc-cfg=pdf_tools");
        for tool in tools.into_iter().flatten() {
            println!("cargo::rerun-if-changed={}", tool.display());
        }
    }
}

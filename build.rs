//! Link troth's programs as position-dependent executables on Linux (glibc).
//!
//! Why: chrono-tz's zone tables hold ~31,000 pointers to their abbreviations
//! ("CET", "EST"…). In a position-independent executable each is a
//! relocation the dynamic loader applies at every start, writing (and so
//! copying) the 1.1 MB of pages that hold them: half of `troth kept`'s page
//! faults and a third of its kernel time. Linked at a fixed address, the
//! linker resolves them once and the pages are shared read-only from the
//! page cache (benches/run §1: `kept` against a bare sqlite3 insert). The
//! shared libraries, stack and heap are still placed at random; only the
//! executable's own image is not. Only the link changes: every crate is
//! still compiled as position-independent code, so no dependency rebuilds.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}

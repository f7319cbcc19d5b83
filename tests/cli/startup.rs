//! What keeps `troth kept` near a bare sqlite3 insert (issue 17), held here
//! so that a change to the build or to the lookup cannot quietly lose it.

use crate::support::TestEnv;

/// build.rs links troth at a fixed address: chrono-tz's ~31,000 pointers are
/// then resolved by the linker, not relocated (and their pages copied) at
/// every start.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn troth_is_linked_at_a_fixed_address_so_its_tables_are_not_relocated_at_start() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_troth")).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    let e_type = u16::from_le_bytes([bytes[16], bytes[17]]);
    assert_eq!(e_type, 2, "ET_EXEC (2), not a position-independent ET_DYN (3): see build.rs");
}

/// `kept` reads the promise it names on its own; by id or by slug, among
/// several, it is the promise `show` names, and only it gets the entry.
#[test]
fn kept_by_id_or_slug_among_several_logs_to_that_promise() {
    let env = TestEnv::berlin();
    for (text, slug) in [("Walk together", "walk"), ("Walk the dog", "walk-2"), ("Read aloud", "read")] {
        env.ok(&["promise", text, "--terms", "every day", "--starts", "2026-11-01", "--slug", slug]);
    }
    for (arg, slug) in [("walk", "walk"), ("walk-2", "walk-2"), ("2", "walk-2"), ("3", "read"), (" read ", "read")] {
        let shown = env.json(&["show", slug]);
        let e = env.json(&["kept", arg, "--at", "2026-11-20 08:00"]);
        assert_eq!((&e["agreement"], &e["agreement_uuid"]), (&shown["slug"], &shown["uuid"]), "kept {arg:?}");
        let plain = env.ok(&["kept", arg, "--at", "2026-11-21 08:00", "-v"]);
        assert!(plain.starts_with(&format!("kept  {slug} #")), "kept {arg:?}: {plain}");
    }
    let err = env.fails(2, &["kept", "wlak"]);
    assert!(err.contains("there is no promise \"wlak\"") && err.contains("walk"), "{err}");
}

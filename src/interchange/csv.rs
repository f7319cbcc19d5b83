//! CSV export: one row per entry, for a spreadsheet (RFC 4180: CRLF line
//! ends, quoting where needed).
//!
//! Owns the guard against formula injection: a spreadsheet runs a cell that
//! starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
//! strip before looking) as a formula, so such a cell is written with a `'`
//! in front — the prefix spreadsheets themselves use to mean "this is text".
//! A program reading the file back removes one leading `'` from such cells
//! (`unguard`).

use crate::domain::time::rfc3339;
use crate::domain::{Agreement, Entry};
use std::collections::HashMap;
use std::io::Write;

pub const HEADER: [&str; 12] =
    ["id", "agreement", "text", "by", "to", "outcome", "at", "note", "logged_by", "logged_at", "void", "reason"];

/// Would a spreadsheet read this cell as a formula? A cell that already
/// starts with `'` before such a character is guarded too, so that reading
/// back is exact.
fn needs_guard(cell: &str) -> bool {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => true,
        Some('\'') => needs_guard(&cell[1..]),
        _ => false,
    }
}

/// A cell as a spreadsheet may safely open it.
pub fn guard(cell: &str) -> String {
    if needs_guard(cell) { format!("'{cell}") } else { cell.to_string() }
}

/// The cell as troth wrote it, before `guard`.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_guard(rest) => rest,
        _ => cell,
    }
}

/// Every entry (void ones too, marked), oldest first, times in the zone of
/// their agreement.
pub fn write(agreements: &[Agreement], entries: &[Entry], out: &mut dyn Write) -> csv::Result<()> {
    let by_id: HashMap<i64, &Agreement> = agreements.iter().map(|a| (a.id, a)).collect();
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(HEADER)?;
    for e in entries {
        let Some(a) = by_id.get(&e.agreement_id) else { continue };
        let row = [
            e.id.to_string(),
            a.slug.clone(),
            a.text.clone(),
            a.by.clone(),
            a.to.clone(),
            e.outcome.name().to_string(),
            rfc3339(e.at, a.zone),
            e.note.clone().unwrap_or_default(),
            e.logged_by.clone(),
            rfc3339(e.logged_at, a.zone),
            e.void.is_some().to_string(),
            e.void.as_ref().and_then(|v| v.reason.clone()).unwrap_or_default(),
        ];
        w.write_record(row.iter().map(|c| guard(c)))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_prefixed_and_come_back() {
        for cell in ["=1+2", "+33 6", "-x", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(cell), format!("'{cell}"));
            assert_eq!(unguard(&guard(cell)), cell);
        }
        assert_eq!(guard("'=x"), "''=x");
        assert_eq!(unguard("''=x"), "'=x");
        for cell in ["plain", "", "'quoted already", "1=1"] {
            assert_eq!(guard(cell), cell);
            assert_eq!(unguard(&guard(cell)), cell);
        }
    }
}

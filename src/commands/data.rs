//! Data in and out: `export` (json backup, csv, ics calendar) and `import`.
//! CSV and iCalendar are written by `interchange::csv` and `interchange::ics`.
//!
//! The JSON document and the door that imports it live in
//! `interchange::json`; this file is the commands around them.

use super::Ctx;
use crate::cli::{ExportArgs, ExportFormat, ImportArgs};
use crate::error::{Error, Result};
use crate::interchange::json::{self, Document};
use crate::ledger::Ledger;
use crate::render::json::write_json;
use serde_json::json;
use std::io::Write;

pub fn export(ctx: &Ctx, ledger: &Ledger, a: ExportArgs, out: &mut dyn Write) -> Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    let format = if ctx.env.json { ExportFormat::Json } else { a.format };
    if (a.from.is_some() || a.until.is_some()) && !matches!(format, ExportFormat::Ics) {
        return Err(Error::usage("--from and --until apply to --format ics only")
            .hint("the json and csv exports always hold the whole ledger"));
    }
    match format {
        ExportFormat::Json => write_json(&mut buf, &serde_json::to_value(Document::from_ledger(ledger, ctx.now)?)?)?,
        ExportFormat::Csv => crate::interchange::csv::write(&ledger.agreements()?, &ledger.entries(None)?, &mut buf)
            .map_err(Error::from)?,
        ExportFormat::Ics => {
            let range = crate::interchange::ics::Range::from_args(
                a.from.as_deref(),
                a.until.as_deref(),
                ctx.now,
                ctx.settings.zone,
            )?;
            crate::interchange::ics::write(&ledger.agreements()?, range, ctx.now, &mut buf)?
        }
    }
    match a.output.as_deref().filter(|p| !super::is_dash(p)) {
        Some(path) => crate::ledger::files::write_output(&ctx.env.db, path, &buf)?,
        None => out.write_all(&buf)?,
    }
    Ok(())
}

// ---------- import ----------

/// The largest file `import` reads: 35 times the export of ten years of 20
/// promises (14 MB). Anything longer is not an export — and `/dev/zero` or a
/// runaway pipe would otherwise be read until memory runs out.
const MAX_IMPORT_BYTES: u64 = 512 << 20;

fn read_capped(path: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let name = crate::domain::time::printable(&path.display().to_string());
    let unreadable = |e: std::io::Error| {
        Error::usage(format!("could not read {name}: {e}"))
            .hint("give the file `troth export` wrote (`-` reads standard input); nothing was imported")
    };
    let mut bytes = Vec::new();
    // `-` is standard input, as `export -o -` is standard output:
    // `troth export | troth --db other.db import -`.
    if super::is_dash(path) {
        std::io::stdin().lock().take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_IMPORT_BYTES + 1).read_to_end(&mut bytes))
            .map_err(unreadable)?;
    }
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(Error::usage(format!(
            "{name} is larger than any troth export (more than {} MiB)",
            MAX_IMPORT_BYTES >> 20
        ))
        .hint("nothing was imported; the file must come from `troth export --format json`"));
    }
    Ok(bytes)
}

/// Parse and check an export without touching any ledger (fuzzing, tests).
pub fn check_import(text: &str) -> Result<()> {
    json::check_text(text)
}

pub fn import(ctx: &Ctx, ledger: &mut Ledger, a: ImportArgs, out: &mut dyn Write) -> Result<()> {
    let bytes = read_capped(&a.file)?;
    let doc = Document::parse(&bytes)?;
    let before = ledger.agreements()?;
    let done = json::apply(ledger, &doc, ctx.now)?;
    // Slugs are stored as made; where two live promises now share one, the
    // one made later shows numbered — either side may be that one.
    let renamed: Vec<(String, String)> = ledger
        .agreements()?
        .iter()
        .filter_map(|x| {
            let was = match before.iter().find(|b| b.uuid == x.uuid) {
                Some(b) => b.slug.clone(),
                None => doc.agreements.iter().find(|d| d.uuid.eq_ignore_ascii_case(&x.uuid))?.slug.trim().to_string(),
            };
            (was != x.slug).then(|| (was, x.slug.clone()))
        })
        .collect();
    if ctx.env.json {
        return write_json(
            out,
            &json!({"agreements": done.agreements, "entries": done.entries, "voids": done.voids,
                    "new": done.new, "skipped": done.skipped,
                    "renamed": renamed.iter().map(|(a, b)| json!({"from": a, "to": b})).collect::<Vec<_>>()}),
        );
    }
    let n = |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
    writeln!(
        out,
        "imported  {}, {}, {} ({} already here, skipped)",
        n(done.agreements, "promise", "promises"),
        n(done.entries, "entry", "entries"),
        n(done.voids, "void", "voids"),
        n(done.skipped, "fact", "facts")
    )?;
    for (from, to) in renamed {
        writeln!(out, "          two promises are called \"{from}\": the one made later now shows as \"{to}\"")?;
    }
    Ok(())
}

//! `troth log`: the entries, oldest first.

use super::promise::when;
use super::{Ctx, find};
use crate::cli::LogListArgs;
use crate::domain::time::{DateMeaning, Instant, human_datetime};
use crate::domain::{Agreement, Entry};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render;
use crate::render::json::entry_json;
use std::io::Write;

pub fn list(ctx: &Ctx, ledger: &Ledger, a: LogListArgs, out: &mut dyn Write) -> Result<()> {
    // One read transaction: the analyses and both passes over the entries
    // see the same ledger, even while another troth writes.
    ledger.snapshot(|| list_in(ctx, ledger, a, out))
}

fn list_in(ctx: &Ctx, ledger: &Ledger, a: LogListArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let only = a.agreement.as_deref().map(|s| find(&agreements, s, ctx.now)).transpose()?;
    let zone = only.map(|x| x.zone).unwrap_or(ctx.settings.zone);
    let since = a.since.as_deref().map(|s| when(s, ctx, zone, DateMeaning::Start, "--since")).transpose()?;
    let until = a.until.as_deref().map(|s| when(s, ctx, zone, DateMeaning::End, "--until")).transpose()?;
    // A day alone ends at 24:00, which is the next day's first instant: an
    // entry then belongs to the next day, so that end is not included. A
    // time given to the minute is (`--since` and `--until` are inclusive).
    let day_end = a.until.as_deref().is_some_and(|s| {
        until.is_some_and(|u| when(s, ctx, zone, DateMeaning::Start, "--until").is_ok_and(|start| start != u))
    });
    if let (Some(s), Some(u)) = (since, until)
        && (s > u || day_end && s == u)
    {
        return Err(crate::error::Error::usage(format!(
            "--since ({}) is after --until ({}): no time is in between",
            human_datetime(s, zone, ctx.now),
            crate::render::words::due(u, zone, ctx.now)
        ))
        .hint("both are inclusive: --since 2026-11-16 --until 2026-11-22 is that week"));
    }
    let by_id: std::collections::HashMap<i64, &Agreement> = agreements.iter().map(|x| (x.id, x)).collect();
    let wanted = |e: &Entry| -> Option<&Agreement> {
        let x = *by_id.get(&e.agreement_id)?;
        let show = (a.all || e.void.is_none())
            && (a.all || !x.is_void() || only.is_some())
            && since.is_none_or(|s| e.at >= s)
            && until.is_none_or(|u| e.at < u || e.at == u && !day_end);
        show.then_some(x)
    };
    // counts/why need each promise's analysis (held entries, late excuses).
    // Only those sets are asked of it: each promise's slots and events go
    // as soon as it is analysed.
    let keep = crate::domain::fold::Keep { judged: 1, ..crate::domain::fold::Keep::from(ctx.now) };
    let scope: Vec<Agreement> = only.map_or_else(|| agreements.clone(), |x| vec![x.clone()]);
    let book = super::book(ctx, ledger, &scope, (crate::domain::time::Instant::MIN_UTC, ctx.now), &keep)?;
    let analyses: std::collections::HashMap<i64, &crate::domain::trust::Analysis> =
        book.items.iter().map(|i| (i.agreement.id, &i.analysis)).collect();
    if ctx.env.json {
        // Streamed from SQL, one entry at a time, the same bytes as a
        // pretty-printed array: ten years of entries are never held.
        use serde::ser::{SerializeSeq, Serializer as _};
        let mut ser = serde_json::Serializer::pretty(&mut *out);
        let mut seq = ser.serialize_seq(None)?;
        ledger.each_entry(only.map(|x| x.id), &mut |e| {
            if let Some(x) = wanted(&e) {
                seq.serialize_element(&entry_json(&e, x, analyses.get(&x.id).copied()))?;
            }
            Ok(())
        })?;
        seq.end()?;
        writeln!(out)?;
        return Ok(());
    }
    const HEADER: [&str; 7] = ["#", "when", "promise", "outcome", "logged by", "verdict", "note"];
    let row = |e: &Entry, x: &Agreement| row(e, x, analyses.get(&x.id).copied(), ctx.now);
    if !render::wraps() {
        // Not a terminal: two passes over SQL, one to measure the columns,
        // one to write the rows; no row is held (issue 17).
        let mut cols = render::stream_table::Columns::new(&HEADER);
        let mut shown = 0usize;
        ledger.each_entry(only.map(|x| x.id), &mut |e| {
            if let Some(x) = wanted(&e) {
                shown += 1;
                cols.fit(&row(&e, x));
            }
            Ok(())
        })?;
        if shown == 0 {
            writeln!(out, "No entries{}.", if a.all { "" } else { " (void ones are in --all)" })?;
            return Ok(());
        }
        cols.write_row(out, &HEADER)?;
        return ledger.each_entry(only.map(|x| x.id), &mut |e| {
            if let Some(x) = wanted(&e) {
                cols.write_row(out, &row(&e, x))?;
            }
            Ok(())
        });
    }
    let mut entries: Vec<Entry> = Vec::new();
    ledger.each_entry(only.map(|x| x.id), &mut |e| {
        if wanted(&e).is_some() {
            entries.push(e);
        }
        Ok(())
    })?;
    if entries.is_empty() {
        writeln!(out, "No entries{}.", if a.all { "" } else { " (void ones are in --all)" })?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = entries.iter().filter_map(|e| wanted(e).map(|x| row(e, x))).collect();
    writeln!(out, "{}", render::table(&HEADER, &rows))?;
    Ok(())
}

/// One entry's row: void or why it counts as it does before its note.
fn row(e: &Entry, x: &Agreement, analysis: Option<&crate::domain::trust::Analysis>, now: Instant) -> Vec<String> {
    let note = e.note.clone().unwrap_or_default();
    let note = match (&e.void, crate::domain::converge::why(e, x)) {
        (Some(v), _) => format!(
            "void{}{}",
            v.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default(),
            if note.is_empty() { String::new() } else { format!(" · {note}") }
        ),
        (None, Some(why)) => {
            format!("{}{}", why.words(), if note.is_empty() { String::new() } else { format!(" · {note}") })
        }
        (None, None) => note,
    };
    vec![
        e.id.to_string(),
        human_datetime(e.at, x.zone, now),
        x.slug.clone(),
        e.outcome.name().to_string(),
        e.logged_by.clone(),
        crate::render::voice::verdict_words(e, analysis),
        note,
    ]
}

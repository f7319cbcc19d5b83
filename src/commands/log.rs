//! `troth log`: the entries, oldest first.

use super::promise::when;
use super::{Ctx, find};
use crate::cli::LogListArgs;
use crate::domain::time::{DateMeaning, Instant, human_datetime};
use crate::domain::trust::Analysis;
use crate::domain::{Agreement, Entry};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render;
use crate::render::json::entry_json;
use std::collections::HashMap;
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
    let range = Range::read(ctx, &a, zone)?;
    // counts/why need each promise's analysis (held entries, late excuses).
    // Only those sets are asked of it: each promise's slots and events go
    // as soon as it is analysed.
    let keep = crate::domain::fold::Keep { judged: 1, ..crate::domain::fold::Keep::from(ctx.now) };
    let scope: Vec<Agreement> = only.map_or_else(|| agreements.clone(), |x| vec![x.clone()]);
    let book = super::book(ctx, ledger, &scope, (crate::domain::time::Instant::MIN_UTC, ctx.now), &keep)?;
    let shown = Shown {
        ledger,
        only,
        all: a.all,
        range,
        by_id: agreements.iter().map(|x| (x.id, x)).collect(),
        analyses: book.items.iter().map(|i| (i.agreement.id, &i.analysis)).collect(),
        now: ctx.now,
    };
    if ctx.env.json {
        shown.write_json(out)
    } else if !render::wraps() {
        shown.write_streamed(out)
    } else {
        shown.write_table(out)
    }
}

/// `--since` and `--until`, both inclusive.
struct Range {
    since: Option<Instant>,
    until: Option<Instant>,
    /// `--until` gave a day alone, which ends at 24:00: the next day's first
    /// instant, so that end is not included. A time given to the minute is.
    day_end: bool,
}

impl Range {
    /// The range asked for, read in `zone`; one that is empty is refused.
    fn read(ctx: &Ctx, a: &LogListArgs, zone: chrono_tz::Tz) -> Result<Range> {
        let since = a.since.as_deref().map(|s| when(s, ctx, zone, DateMeaning::Start, "--since")).transpose()?;
        let until = a.until.as_deref().map(|s| when(s, ctx, zone, DateMeaning::End, "--until")).transpose()?;
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
        Ok(Range { since, until, day_end })
    }

    fn contains(&self, at: Instant) -> bool {
        self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at < u || at == u && !self.day_end)
    }
}

/// The entries `log` shows, and what it needs to show them.
struct Shown<'a> {
    ledger: &'a Ledger,
    /// The one promise asked about, if one was.
    only: Option<&'a Agreement>,
    /// `--all`: void entries, and entries of void promises, too.
    all: bool,
    range: Range,
    by_id: HashMap<i64, &'a Agreement>,
    analyses: HashMap<i64, &'a Analysis>,
    now: Instant,
}

const HEADER: [&str; 7] = ["#", "when", "promise", "outcome", "logged by", "verdict", "note"];

impl<'a> Shown<'a> {
    /// The promise of an entry that is shown.
    fn wanted(&self, e: &Entry) -> Option<&'a Agreement> {
        let x = *self.by_id.get(&e.agreement_id)?;
        let show = (self.all || e.void.is_none())
            && (self.all || !x.is_void() || self.only.is_some())
            && self.range.contains(e.at);
        show.then_some(x)
    }

    /// Each entry of the promise asked about (or of all), oldest first, read
    /// from SQL one at a time.
    fn each_entry(&self, f: &mut dyn FnMut(Entry) -> Result<()>) -> Result<()> {
        self.ledger.each_entry(self.only.map(|x| x.id), f)
    }

    fn row(&self, e: &Entry, x: &Agreement) -> Vec<String> {
        row(e, x, self.analyses.get(&x.id).copied(), self.now)
    }

    /// `--json`: streamed from SQL, one entry at a time, the same bytes as a
    /// pretty-printed array: ten years of entries are never held.
    fn write_json(&self, out: &mut dyn Write) -> Result<()> {
        use serde::ser::{SerializeSeq, Serializer as _};
        let mut ser = serde_json::Serializer::pretty(&mut *out);
        let mut seq = ser.serialize_seq(None)?;
        self.each_entry(&mut |e| {
            if let Some(x) = self.wanted(&e) {
                seq.serialize_element(&entry_json(&e, x, self.analyses.get(&x.id).copied()))?;
            }
            Ok(())
        })?;
        seq.end()?;
        writeln!(out)?;
        Ok(())
    }

    /// Not a terminal: two passes over SQL, one to measure the columns, one
    /// to write the rows; no row is held (issue 17).
    fn write_streamed(&self, out: &mut dyn Write) -> Result<()> {
        let mut cols = render::stream_table::Columns::new(&HEADER);
        let mut shown = 0usize;
        self.each_entry(&mut |e| {
            if let Some(x) = self.wanted(&e) {
                shown += 1;
                cols.fit(&self.row(&e, x));
            }
            Ok(())
        })?;
        if shown == 0 {
            return self.write_none(out);
        }
        cols.write_row(out, &HEADER)?;
        self.each_entry(&mut |e| {
            if let Some(x) = self.wanted(&e) {
                cols.write_row(out, &self.row(&e, x))?;
            }
            Ok(())
        })
    }

    /// On a terminal: a table that fits its width.
    fn write_table(&self, out: &mut dyn Write) -> Result<()> {
        let mut entries: Vec<Entry> = Vec::new();
        self.each_entry(&mut |e| {
            if self.wanted(&e).is_some() {
                entries.push(e);
            }
            Ok(())
        })?;
        if entries.is_empty() {
            return self.write_none(out);
        }
        let rows: Vec<Vec<String>> = entries.iter().filter_map(|e| self.wanted(e).map(|x| self.row(e, x))).collect();
        writeln!(out, "{}", render::table(&HEADER, &rows))?;
        Ok(())
    }

    fn write_none(&self, out: &mut dyn Write) -> Result<()> {
        writeln!(out, "No entries{}.", if self.all { "" } else { " (void ones are in --all)" })?;
        Ok(())
    }
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
        render::words::moment(e.at, x.zone, now),
        x.slug.clone(),
        e.outcome.name().to_string(),
        e.logged_by.clone(),
        crate::render::voice::verdict_words(e, analysis),
        note,
    ]
}

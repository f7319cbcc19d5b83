//! `troth show`: one promise — its terms history, slots, and the events
//! behind its trust, step by step.

use super::{Ctx, find};
use crate::cli::ShowArgs;
use crate::domain::terms::Terms;
use crate::domain::time::{human_date, human_datetime, rfc3339};
use crate::domain::trust::{self, Analysis, Event, Score};
use crate::domain::{Agreement, Entry};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render::json::{agreement_json, round4};
use crate::render::words::terms_words;
use crate::render::words::unit_word;
use crate::render::{self, history, paint, percent, trust2, words};
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;

pub fn show(ctx: &Ctx, ledger: &Ledger, a: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?;
    let entries = ledger.entries(Some(x.id))?;
    let live: Vec<crate::domain::Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    let analysis = trust::analyze(x, &live, ctx.now, ctx.now + chrono::Duration::days(8));
    let p = &ctx.settings.trust;
    // The events behind the number, each with the trust before and after.
    let mut score = Score::new(p);
    let mut steps = Vec::new();
    for ev in analysis.events.iter().filter(|e| e.at <= ctx.now) {
        let before = score.trust;
        score.apply(ev, p);
        steps.push((ev.clone(), before, score.trust));
    }
    if x.is_void() {
        score = Score::new(p);
        steps.clear();
    }
    let notes = version_notes(ledger, x)?;
    let status_notes = status_notes(ledger, x)?;
    let view = View { x, entries: &entries, analysis: &analysis, score, steps, notes, status_notes };
    if ctx.env.json {
        return write_show_json(out, ctx, &view);
    }
    show_text(ctx, &view, a.all, out)
}

/// Each terms version's amend note, by version id: the stored rows of the
/// promise's versions matched to the plan's by when they were made and took
/// effect, and what they say.
fn version_notes(ledger: &Ledger, x: &Agreement) -> Result<HashMap<i64, String>> {
    let mut rows = crate::ledger::door::versions_of(ledger, x.id)?;
    let mut notes = HashMap::new();
    for v in &x.plan.versions {
        let same = |r: &crate::ledger::door::VersionRow| {
            r.effective == crate::ledger::ts(v.effective)
                && r.created == crate::ledger::ts(v.created)
                && r.terms == v.terms.to_string()
        };
        if let Some(i) = rows.iter().position(same) {
            let r = rows.remove(i);
            if let Some(n) = r.note.filter(|n| !n.trim().is_empty()) {
                notes.insert(v.id, n);
            }
        }
    }
    Ok(notes)
}

/// Each pause's, resume's or retirement's note, by status change id, matched
/// the same way.
fn status_notes(ledger: &Ledger, x: &Agreement) -> Result<HashMap<i64, String>> {
    let mut rows = crate::ledger::door::statuses_of(ledger, x.id)?;
    let mut notes = HashMap::new();
    for s in &x.plan.statuses {
        let same = |r: &crate::ledger::door::StatusRow| {
            r.effective == crate::ledger::ts(s.effective)
                && r.created == crate::ledger::ts(s.created)
                && r.status == s.status.name()
        };
        if let Some(i) = rows.iter().position(same) {
            let r = rows.remove(i);
            if let Some(n) = r.note.filter(|n| !n.trim().is_empty()) {
                notes.insert(s.id, n);
            }
        }
    }
    Ok(notes)
}

/// What `show` shows, computed once for every format.
struct View<'a> {
    x: &'a Agreement,
    entries: &'a [Entry],
    analysis: &'a Analysis,
    score: Score,
    /// The events behind the number, each with the trust before and after.
    steps: Vec<(Event, f64, f64)>,
    /// Each terms version's amend note, by version id.
    notes: HashMap<i64, String>,
    /// Each status change's note, by status change id.
    status_notes: HashMap<i64, String>,
}

/// `show --json`: the agreement's shape plus its history, slots and events,
/// written as it is made (the same bytes as one `Value` pretty-printed).
fn write_show_json(out: &mut dyn Write, ctx: &Ctx, view: &View) -> Result<()> {
    use serde::ser::{SerializeMap, Serializer};
    let View { x, entries, analysis, steps, notes, status_notes, .. } = view;
    let (x, analysis) = (*x, *analysis);
    let head = agreement_json(x, (!x.is_void()).then_some(analysis), &ctx.settings, ctx.now);
    let uuids: std::collections::HashMap<i64, &str> = entries.iter().map(|e| (e.id, e.uuid.as_str())).collect();
    let versions = x.plan.versions.iter().map(|ver| {
        json!({"terms": ver.terms.to_string(), "unit": ver.unit, "effective": rfc3339(ver.effective, x.zone),
               "recorded": rfc3339(ver.created, x.zone), "note": notes.get(&ver.id)})
    });
    let statuses = x.plan.statuses.iter().map(|s| {
        json!({"status": s.status.name(), "effective": rfc3339(s.effective, x.zone), "recorded": rfc3339(s.created, x.zone),
               "note": status_notes.get(&s.id)})
    });
    // Slots and events are thousands at ten years: each is written straight
    // from a plain struct (fields in the order of docs/cli.md), not built as
    // a map first.
    let slots = analysis.slots.iter().filter(|s| s.slot.start <= ctx.now).map(|s| SlotJson {
        start: rfc3339(s.slot.start, x.zone),
        end: rfc3339(s.slot.end, x.zone),
        due: rfc3339(s.slot.due, x.zone),
        units: s.slot.units,
        terms: s.slot.terms.to_string(),
        closed: s.closed,
        promised: s.promised,
        kept: s.kept,
        broken: s.broken,
        excused: s.excused,
        delivered: s.delivered,
        extra: s.extra,
        missed: s.missed,
        remaining: s.remaining,
        held: s.held,
    });
    let events = steps.iter().map(|(ev, before, after)| EventJson {
        at: rfc3339(ev.at, x.zone),
        event: history::event_name(ev.kind),
        units: ev.units,
        entry: ev.entry,
        entry_uuid: ev.entry.and_then(|id| uuids.get(&id).copied()),
        before: round4(*before),
        after: round4(*after),
        repair: ev.repair,
    });
    let entry_list = entries.iter().map(|e| crate::render::json::entry_json(e, x, Some(analysis)));
    let repair_uuids = crate::render::json::entry_uuids(entries);
    let repairs = x.repairs.iter().map(|r| crate::render::json::repair_json(r, x, &repair_uuids));
    // The serializer writes a few bytes at a time (80,000 lines at ten
    // years): into a buffer it can fill inline, not through `dyn Write`.
    let mut buffered = std::io::BufWriter::with_capacity(16 * 1024, &mut *out);
    let mut ser = serde_json::Serializer::pretty(&mut buffered);
    let mut map = ser.serialize_map(None)?;
    for (k, v) in head.as_object().expect("object") {
        map.serialize_entry(k, v)?;
    }
    map.serialize_entry("versions", &crate::render::json::Lazy::new(versions))?;
    map.serialize_entry("statuses", &crate::render::json::Lazy::new(statuses))?;
    map.serialize_entry("slots", &Each::new(slots))?;
    map.serialize_entry("events", &Each::new(events))?;
    map.serialize_entry("entries", &crate::render::json::Lazy::new(entry_list))?;
    map.serialize_entry("repairs", &crate::render::json::Lazy::new(repairs))?;
    map.end()?;
    buffered.flush()?;
    drop(buffered);
    writeln!(out)?;
    Ok(())
}

/// One slot of `show --json`.
#[derive(serde::Serialize)]
struct SlotJson {
    start: String,
    end: String,
    due: String,
    units: u32,
    terms: String,
    closed: bool,
    promised: u32,
    kept: u32,
    broken: u32,
    excused: u32,
    delivered: u32,
    extra: u32,
    missed: u32,
    remaining: u32,
    held: u32,
}

/// One trust event of `show --json`, with the trust before and after it.
#[derive(serde::Serialize)]
struct EventJson<'a> {
    at: String,
    event: &'static str,
    units: u32,
    entry: Option<i64>,
    entry_uuid: Option<&'a str>,
    before: f64,
    after: f64,
    repair: Option<i64>,
}

/// A list written as its items are made (as `render::json::Lazy`, for any
/// serializable item).
struct Each<I>(std::cell::RefCell<Option<I>>);

impl<I> Each<I> {
    fn new(items: I) -> Each<I> {
        Each(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: serde::Serialize> serde::Serialize for Each<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.borrow_mut().take().into_iter().flatten())
    }
}

fn show_text(ctx: &Ctx, view: &View, all: bool, out: &mut dyn Write) -> Result<()> {
    let View { x, entries, analysis, score, steps, notes, status_notes } = view;
    let (x, analysis) = (*x, *analysis);
    let (_, version) = x.plan.version_at(ctx.now);
    // Text from an import or the partner's device is shown, never obeyed (a
    // bidi override would turn the rest of the line around).
    writeln!(out, "#{} {} — \"{}\"", x.id, paint(render::BOLD, &x.slug), crate::domain::time::scrub(&x.text))?;
    let status = match (x.is_void(), crate::domain::standing::done(x, Some(analysis), ctx.now)) {
        (true, _) => "void".to_string(),
        (false, Some(how)) if x.plan.status_at(ctx.now) == crate::domain::slots::Status::Active => {
            format!("done: {how}")
        }
        _ => x.plan.status_at(ctx.now).name().to_string(),
    };
    writeln!(
        out,
        "{} → {} · {} · {} · since {} · {status}",
        x.by,
        x.to,
        terms_words(&version.terms, version.unit.as_deref()),
        x.zone.name(),
        human_date(x.starts, x.zone, ctx.now)
    )?;
    if let Some((t, s, from)) = crate::domain::standing::pending(x, ctx.now) {
        let what = match (t, s) {
            (Some(t), Some(s)) => format!("{t}, {}", s.name()),
            (Some(t), None) => t.to_string(),
            (None, Some(s)) => s.name().to_string(),
            _ => String::new(),
        };
        writeln!(out, "change ahead: {what} from {}", human_datetime(from, x.zone, ctx.now))?;
    }
    writeln!(out)?;
    match score.rate() {
        _ if x.is_void() => {
            writeln!(out, "no trust figure: it was voided as entered by mistake, and none of it counts")?
        }
        Some(r) => writeln!(
            out,
            "trust {}  (follow-through {}: {} of {})",
            trust2(score.trust),
            percent(Some(r)),
            score.kept,
            score.total
        )?,
        None => writeln!(
            out,
            "trust {}  (nothing scored yet — trust starts here and moves with each entry)",
            trust2(score.trust)
        )?,
    }
    let rows =
        history::rows(&history::Source { x, entries, analysis, steps, notes, status_notes, terms_words, now: ctx.now });
    // The most recent part by default, saying exactly what is left out.
    const SHOWN: usize = 30;
    let hidden = if all { 0 } else { rows.len().saturating_sub(SHOWN) };
    if hidden > 0 {
        writeln!(
            out,
            "  {hidden} earlier {} ({} – {}) not shown; all of them: troth show {} --all",
            if hidden == 1 { "row" } else { "rows" },
            rows[0].when,
            rows[hidden - 1].when,
            x.slug
        )?;
    }
    let table: Vec<Vec<String>> =
        rows[hidden..].iter().map(|r| vec![r.when.clone(), r.what.clone(), r.trust.clone()]).collect();
    writeln!(out, "{}", render::table(&["when", "what happened", "trust"], &table))?;
    for line in now_lines(ctx, x, analysis) {
        writeln!(out, "{line}")?;
    }
    let extra: u32 = analysis.slots.iter().map(|s| s.extra).sum();
    if extra > 0 {
        writeln!(out, "and {extra} kept beyond what was promised — shown, not scored")?;
    }
    crate::render::voice::show_voices(out, x, entries, analysis, ctx.now)?;
    Ok(())
}

/// Where the promise stands now, in the words of its kind: a quota's period
/// ("this month: 1 of 2 weekends kept — the month ends Mon 30 Nov"), a
/// schedule's or deadline's slot by its due time — a slot past its due time
/// but still open for a late keep says so, and the next one follows.
fn now_lines(ctx: &Ctx, x: &Agreement, analysis: &Analysis) -> Vec<String> {
    let now = ctx.now;
    let tz = x.zone;
    let mut lines = Vec::new();
    // A voided or retired promise takes no entries: nothing stands open.
    if x.is_void() || x.retired_at(now) {
        return lines;
    }
    let Some(s) = analysis.slots.iter().find(|s| !s.closed && s.slot.start <= now) else {
        // Nothing under way yet (a quota starts with its first whole period):
        // say when the first, or next, slot comes.
        if let Some(n) = analysis.slots.iter().find(|s| s.slot.start > now) {
            let unit = x.plan.version_at(n.slot.start).1.unit;
            let line = match n.slot.terms {
                Terms::Quota { period, .. } => format!(
                    "\n{}: {} {} promised — the {} ends {}",
                    words::period(period, words::first_day(n.slot.start, tz), tz, now),
                    n.promised,
                    unit_word(unit.as_deref(), n.promised),
                    period.name(),
                    words::ends(n.slot.end, tz, now)
                ),
                _ => format!("\nnext: due {}", words::due_relative(n.slot.due, tz, now)),
            };
            lines.push(line);
        } else if x.plan.status_at(now) == crate::domain::slots::Status::Paused {
            lines.push(format!("\npaused: nothing falls due until `troth resume {}`", x.slug));
        }
        return lines;
    };
    let unit = x.plan.version_at(s.slot.start).1.unit;
    let kept = s.kept.min(s.promised);
    let excused = if s.excused > 0 { format!(", {} excused", s.excused) } else { String::new() };
    match s.slot.terms {
        Terms::Quota { period, .. } => {
            let first = words::first_day(s.slot.start, tz);
            lines.push(format!(
                "\n{}: {kept} of {} {} kept{excused} — the {} ends {}",
                words::period(period, first, tz, now),
                s.promised,
                unit_word(unit.as_deref(), s.promised),
                period.name(),
                words::ends(s.slot.end, tz, now)
            ));
        }
        _ if s.slot.due > now => {
            lines.push(format!(
                "\nnext: due {} — {kept} of {} kept so far{excused}",
                words::due_relative(s.slot.due, tz, now),
                s.promised
            ));
        }
        _ => {
            let mut line =
                format!("\nthe slot due {}: {kept} of {} kept{excused}", words::due(s.slot.due, tz, now), s.promised);
            if s.remaining > 0 {
                line.push_str(&format!(
                    " — a late keep still counts until the end of {}",
                    words::ends(s.slot.end, tz, now)
                ));
            }
            lines.push(line);
            if let Some(next) = analysis.slots.iter().find(|n| n.slot.start >= s.slot.end && n.slot.due > now) {
                let excused = if next.excused > 0 && next.remaining == 0 { " — excused" } else { "" };
                lines.push(format!("next: due {}{excused}", words::due_relative(next.slot.due, tz, now)));
            }
        }
    }
    lines
}

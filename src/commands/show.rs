//! `troth show`: one promise — its terms history, slots, and the events
//! behind its trust, step by step.

use super::{Ctx, find};
use crate::cli::ShowArgs;
use crate::domain::time::{human_date, human_datetime, rfc3339};
use crate::domain::trust::{self, Analysis, Event, EventKind, Score};
use crate::domain::{Agreement, Entry};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render::json::{agreement_json, round4, write_json};
use crate::render::words::terms_words;
use crate::render::{self, paint, percent, trust2, words};
use serde_json::{Value, json};
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
    let view = View { x, entries: &entries, analysis: &analysis, score, steps };
    if ctx.env.json {
        return write_json(out, &show_json(ctx, &view));
    }
    show_text(ctx, &view, out)
}

/// What `show` shows, computed once for every format.
struct View<'a> {
    x: &'a Agreement,
    entries: &'a [Entry],
    analysis: &'a Analysis,
    score: Score,
    /// The events behind the number, each with the trust before and after.
    steps: Vec<(Event, f64, f64)>,
}

/// `show --json`: the agreement's shape plus its history, slots and events.
fn show_json(ctx: &Ctx, view: &View) -> Value {
    let View { x, entries, analysis, steps, .. } = view;
    let (x, analysis) = (*x, *analysis);
    let mut v = agreement_json(x, (!x.is_void()).then_some(analysis), &ctx.settings, ctx.now);
    let uuids: std::collections::HashMap<i64, &str> = entries.iter().map(|e| (e.id, e.uuid.as_str())).collect();
    let obj = v.as_object_mut().expect("object");
    obj.insert(
        "versions".into(),
        Value::Array(
            x.plan
                .versions
                .iter()
                .map(|ver| {
                    json!({"terms": ver.terms.to_string(), "unit": ver.unit, "effective": rfc3339(ver.effective, x.zone),
                           "recorded": rfc3339(ver.created, x.zone)})
                })
                .collect(),
        ),
    );
    obj.insert(
        "statuses".into(),
        Value::Array(
            x.plan
                .statuses
                .iter()
                .map(|s| json!({"status": s.status.name(), "effective": rfc3339(s.effective, x.zone), "recorded": rfc3339(s.created, x.zone)}))
                .collect(),
        ),
    );
    obj.insert(
        "slots".into(),
        Value::Array(
            analysis
                .slots
                .iter()
                .filter(|s| s.slot.start <= ctx.now)
                .map(|s| {
                    json!({"start": rfc3339(s.slot.start, x.zone), "end": rfc3339(s.slot.end, x.zone),
                           "due": rfc3339(s.slot.due, x.zone), "units": s.slot.units, "terms": s.slot.terms.to_string(),
                           "closed": s.closed, "promised": s.promised, "kept": s.kept, "broken": s.broken,
                           "excused": s.excused, "delivered": s.delivered, "extra": s.extra, "missed": s.missed,
                           "remaining": s.remaining, "held": s.held})
                })
                .collect(),
        ),
    );
    obj.insert(
        "events".into(),
        Value::Array(
            steps
                .iter()
                .map(|(ev, before, after)| {
                    json!({"at": rfc3339(ev.at, x.zone), "event": event_name(ev.kind), "units": ev.units,
                           "entry": ev.entry, "entry_uuid": ev.entry.and_then(|id| uuids.get(&id)),
                           "before": round4(*before), "after": round4(*after), "repair": ev.repair})
                })
                .collect(),
        ),
    );
    obj.insert(
        "entries".into(),
        Value::Array(entries.iter().map(|e| crate::render::json::entry_json(e, x, Some(analysis))).collect()),
    );
    let uuids = crate::render::json::entry_uuids(entries);
    obj.insert(
        "repairs".into(),
        Value::Array(x.repairs.iter().map(|r| crate::render::json::repair_json(r, x, &uuids)).collect()),
    );
    v
}

fn show_text(ctx: &Ctx, view: &View, out: &mut dyn Write) -> Result<()> {
    let View { x, entries, analysis, score, steps } = view;
    let (x, analysis) = (*x, *analysis);
    let (_, version) = x.plan.version_at(ctx.now);
    writeln!(out, "#{} {} — \"{}\"", x.id, paint(render::BOLD, &x.slug), x.text)?;
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
    if x.plan.versions.len() > 1 {
        writeln!(out, "\nterms history")?;
        for ver in x.plan.versions_in_force() {
            writeln!(out, "  from {:<22} {}", human_datetime(ver.effective, x.zone, ctx.now), ver.terms)?;
        }
    }
    writeln!(out)?;
    match score.rate() {
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
    // The table shows the most recent steps; all of them are in --json.
    const SHOWN: usize = 40;
    if steps.len() > SHOWN {
        writeln!(out, "  … {} earlier events (all of them: troth show {} --json)", steps.len() - SHOWN, x.slug)?;
    }
    if !steps.is_empty() {
        let rows = step_rows(ctx, x, entries, analysis, &steps[steps.len().saturating_sub(SHOWN)..]);
        writeln!(out, "{}", render::table(&["when", "event", "trust"], &rows))?;
    }
    if let Some(s) = analysis.slots.iter().find(|s| !s.closed && s.slot.start <= ctx.now) {
        writeln!(
            out,
            "\nnow: {} of {} kept, due {}",
            s.kept.min(s.promised),
            s.promised,
            words::due(s.slot.due, x.zone, ctx.now)
        )?;
    }
    let extra: u32 = analysis.slots.iter().map(|s| s.extra).sum();
    if extra > 0 {
        writeln!(out, "and {extra} kept beyond what was promised — shown, not scored")?;
    }
    // Entries that count for nothing for a reason other than their own void
    // (which `log --all` shows): say which, and why.
    let uncounted: Vec<(&Entry, crate::domain::converge::Why)> = entries
        .iter()
        .filter(|e| e.void.is_none())
        .filter_map(|e| crate::domain::converge::why(e, x).map(|w| (e, w)))
        .collect();
    if !uncounted.is_empty() {
        writeln!(out, "\ncounting for nothing")?;
        for (e, why) in uncounted {
            writeln!(
                out,
                "  #{} {} {} — {}",
                e.id,
                human_datetime(e.at, x.zone, ctx.now),
                e.outcome.name(),
                why.words().trim_start_matches("counts for nothing: ")
            )?;
        }
    }
    crate::render::voice::show_voices(out, x, entries, analysis, ctx.now)?;
    Ok(())
}

/// A table row per trust step: when, what happened (with the slot for a
/// miss, "late" and a note's start for an entry), and the trust it moved.
fn step_rows(
    ctx: &Ctx,
    x: &Agreement,
    entries: &[Entry],
    analysis: &Analysis,
    steps: &[(Event, f64, f64)],
) -> Vec<Vec<String>> {
    let notes: std::collections::HashMap<i64, &crate::domain::Entry> = entries.iter().map(|e| (e.id, e)).collect();
    steps
        .iter()
        .map(|(ev, before, after)| {
            let what = match ev.kind {
                EventKind::Missed => {
                    let s = &analysis.slots[ev.slot.unwrap_or(0)];
                    format!(
                        "missed {} (slot of {}: {} of {})",
                        ev.units,
                        human_date(s.slot.start, x.zone, ctx.now),
                        s.delivered,
                        s.promised
                    )
                }
                k => {
                    let mut w = event_name(k).to_string();
                    if let Some(e) = ev.entry.and_then(|id| notes.get(&id)) {
                        if analysis.late.contains(&e.id) {
                            w.push_str(" (late)");
                        }
                        if let Some(n) = &e.note {
                            let short: String = n.chars().take(40).collect();
                            w.push_str(&format!(" \"{short}\""));
                        }
                    }
                    w
                }
            };
            let when = match ev.kind {
                // A miss lands at its slot's end: the last day of the slot.
                EventKind::Missed => words::due(ev.at, x.zone, ctx.now),
                _ => words::start(ev.at, x.zone, ctx.now),
            };
            vec![when, what, format!("{} → {}", trust2(*before), trust2(*after))]
        })
        .collect()
}

fn event_name(k: EventKind) -> &'static str {
    match k {
        EventKind::Kept => "kept",
        EventKind::Broken => "broken",
        EventKind::Missed => "missed",
        EventKind::Repair => "repair accepted",
    }
}

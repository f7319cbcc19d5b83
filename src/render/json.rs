//! The JSON shapes of docs/cli.md that several commands share: an agreement
//! (`list`, `show`), an entry (`kept`, `log`, `show`), a repair, a "to talk
//! about" item — and writing a value, pretty, with a newline.

use crate::domain::remind::remind_lead;
use crate::domain::standing::{done, pending};
use crate::domain::talk::Talk;
use crate::domain::time::{Instant, rfc3339};
use crate::domain::trust::{Analysis, Score};
use crate::domain::voice::Repair;
use crate::domain::{Agreement, Entry, Settings};
use crate::error::Result;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

/// Figures in JSON carry four decimals (docs/cli.md).
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// `list --json` / `show --json`: the shape of docs/cli.md.
pub fn agreement_json(a: &Agreement, analysis: Option<&Analysis>, settings: &Settings, now: Instant) -> Value {
    let score = analysis.map(|an| an.score_at(&settings.trust, now)).unwrap_or(Score::new(&settings.trust));
    agreement_json_of(a, score, done(a, analysis, now).is_some(), now)
}

/// As `agreement_json`, from a score and `done` already worked out (`list`'s cache).
pub fn agreement_json_of(a: &Agreement, score: Score, done: bool, now: Instant) -> Value {
    let (_, version) = a.plan.version_at(now);
    let status = a.plan.status_at(now);
    json!({
        "id": a.id,
        "uuid": a.uuid,
        "slug": a.slug,
        "text": a.text,
        "by": a.by,
        "to": a.to,
        "kind": version.terms.kind().name(),
        "terms": version.terms.to_string(),
        "unit": version.unit,
        "zone": a.zone.name(),
        "starts": rfc3339(a.starts, a.zone),
        "ends": a.ends.map(|t| rfc3339(t, a.zone)),
        "status": status.name(),
        "remind": a.remind_text.clone().or_else(|| remind_lead(a, &version.terms).map(|s| s.to_string())),
        "trust": round4(score.trust),
        "rate": score.rate().map(round4),
        "pending": pending_json(a, now),
        "done": done,
        "void": a.is_void(),
        "created": rfc3339(a.created_at, a.zone),
    })
}

fn pending_json(a: &Agreement, now: Instant) -> Value {
    match pending(a, now) {
        None => Value::Null,
        Some((terms, status, from)) => json!({
            "terms": terms.map(|t| t.to_string()),
            "status": status.map(|s| s.name()),
            "from": rfc3339(from, a.zone),
        }),
    }
}

/// `kept --json` and each element of `log --json`.
pub fn entry_json(e: &Entry, a: &Agreement, analysis: Option<&Analysis>) -> Value {
    let mut v = json!({
        "id": e.id,
        "uuid": e.uuid,
        "agreement": a.slug,
        "outcome": e.outcome.name(),
        "at": rfc3339(e.at, a.zone),
        "note": e.note,
        "by": e.logged_by,
        "void": e.void.is_some(),
    });
    let obj = v.as_object_mut().expect("object");
    obj.insert("agreement_id".into(), json!(a.id));
    obj.insert("logged_at".into(), json!(rfc3339(e.logged_at, a.zone)));
    if let Some(void) = &e.void {
        obj.insert("reason".into(), json!(void.reason));
        obj.insert("voided_at".into(), json!(rfc3339(void.at, a.zone)));
    }
    if let Some(an) = analysis {
        obj.insert("late".into(), json!(an.late.contains(&e.id)));
    }
    obj.insert("agreement_uuid".into(), json!(a.uuid));
    obj.insert("device".into(), json!(e.device));
    voice_json(obj, e, a, analysis);
    v
}

/// Entries JSON of §10: `device`, the deciding `verdict`, and `counts`/`why`.
fn voice_json(obj: &mut serde_json::Map<String, Value>, e: &Entry, a: &Agreement, analysis: Option<&Analysis>) {
    let deciding = crate::domain::voice::deciding(&e.verdicts);
    obj.insert(
        "verdict".into(),
        deciding.map_or(
            Value::Null,
            |v| json!({"verdict": v.kind.name(), "by": v.by, "note": v.note, "at": rfc3339(v.at, a.zone)}),
        ),
    );
    // Without the engine's analysis, a dispute still says why.
    let engine = match analysis {
        Some(an) => an.why.get(&e.id).copied(),
        None => deciding
            .filter(|v| v.kind == crate::domain::voice::VerdictKind::Disputed)
            .map(|_| crate::domain::voice::Why::Held),
    };
    let (counts, why) = crate::domain::voice::counts_why(crate::domain::converge::why(e, a), engine);
    obj.insert("counts".into(), json!(counts));
    obj.insert("why".into(), json!(why));
}

/// An array written one element at a time as it is serialized: ten years of
/// slots, events and entries are never all held as JSON values at once.
pub struct Lazy<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator<Item = Value>> Lazy<I> {
    pub fn new(items: I) -> Lazy<I> {
        Lazy(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = Value>> serde::Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => s.collect_seq(items),
            None => s.collect_seq(std::iter::empty::<Value>()),
        }
    }
}

pub fn write_json(out: &mut dyn Write, v: &Value) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, v)?;
    writeln!(out)?;
    Ok(())
}

/// The repair JSON of docs/cli.md.
pub fn repair_json(r: &Repair, x: &Agreement, entry_uuid: &HashMap<i64, String>) -> Value {
    json!({
        "id": r.id,
        "uuid": r.uuid,
        "agreement": x.slug,
        "entry": r.entry_id.and_then(|id| entry_uuid.get(&id).cloned()),
        "slot": r.slot_start.map(|t| rfc3339(t, x.zone)),
        "by": r.by,
        "understood": r.understood,
        "feeling": r.feeling,
        "apology": r.apology,
        "plan": r.plan,
        "at": rfc3339(r.at, x.zone),
        "accepted": r.accepted().map(|a| json!({"by": a.by, "note": a.note, "at": rfc3339(a.at, x.zone)})),
        "device": r.device,
    })
}

/// Entry uuids by id, for repair JSON.
pub fn entry_uuids(entries: &[Entry]) -> HashMap<i64, String> {
    entries.iter().map(|e| (e.id, e.uuid.clone())).collect()
}

pub fn talk_json(t: &Talk, analyses: &HashMap<i64, &Analysis>, uuids: &HashMap<i64, String>) -> Value {
    json!({
        "kind": t.kind,
        "agreement": t.agreement.slug,
        "entry": t.entry.map(|e| entry_json(e, t.agreement, analyses.get(&t.agreement.id).copied())),
        "repair": t.repair.map(|r| repair_json(r, t.agreement, uuids)),
    })
}

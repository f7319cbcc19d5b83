//! What falls due, in words and as JSON (`due`, the report's "Coming up"):
//! "1 of 2 weekends left, the month ends Mon 30 Nov", "due Friday 19:00".

use crate::domain::Agreement;
use crate::domain::report::Due;
use crate::domain::terms::Terms;
use crate::domain::time::{Instant, rfc3339};
use crate::render::words::{self, unit_word};
use serde_json::{Value, json};
use std::collections::HashMap;

pub fn due_json(items: &[Due], by_id: &HashMap<i64, &Agreement>) -> Value {
    Value::Array(
        items
            .iter()
            .map(|d| {
                let a = by_id[&d.agreement_id];
                json!({"slug": a.slug, "due": rfc3339(d.due, a.zone), "remaining": d.remaining, "kind": d.terms.kind().name(),
                       "promised": d.promised, "kept": d.kept.min(d.promised), "start": rfc3339(d.start, a.zone)})
            })
            .collect(),
    )
}

/// "1 of 2 weekends left, the month ends Mon 30 Nov", "1 time promised
/// next week", "due Friday 19:00", "overdue since yesterday 19:00".
pub fn due_words(d: &Due, a: &Agreement, now: Instant) -> String {
    let unit = a.plan.version_at(d.start).1.unit;
    let overdue = d.due <= now;
    match d.terms {
        Terms::Quota { period, .. } => {
            let unit = unit_word(unit.as_deref(), d.promised);
            if d.start > now {
                let when = words::period(period, words::first_day(d.start, a.zone), a.zone, now);
                format!("{} {unit} promised {when}", d.promised)
            } else {
                words::left(d.remaining, d.promised, &unit, period, d.due, a.zone, now)
            }
        }
        _ if overdue => format!("overdue since {}", words::due_relative(d.due, a.zone, now)),
        _ => format!("due {}", words::due_relative(d.due, a.zone, now)),
    }
}

/// The `due` table's last column: a quota's "1 of 2 weekends left, the month
/// ends Mon 30 Nov"; for a schedule or deadline the units left and, in words
/// relative to now, when ("1 of 1 time left, due Friday 19:00").
pub fn left_words(d: &Due, a: &Agreement, now: Instant) -> String {
    match d.terms {
        Terms::Quota { .. } => due_words(d, a, now),
        _ => {
            let unit = unit_word(a.plan.version_at(d.start).1.unit.as_deref(), d.promised);
            format!("{} of {} {unit} left, {}", d.remaining, d.promised, due_words(d, a, now))
        }
    }
}

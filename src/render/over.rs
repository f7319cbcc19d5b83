//! Over-promising in words and as JSON (docs/design.md §7): the sentence for
//! one promise's record and what to promise instead.

use crate::domain::Agreement;
use crate::domain::report::{Over, OverPerson};
use crate::domain::terms::Terms;
use crate::domain::trust::Judgement;
use crate::render::json::round4;
use crate::render::percent;
use serde_json::{Value, json};
use std::collections::HashMap;

pub fn over_json(list: &[Over], people: &[OverPerson], by_id: &HashMap<i64, &Agreement>) -> Value {
    json!({
        "agreements": list.iter().map(|o| {
            let a = by_id[&o.agreement_id];
            let j = &o.judgement;
            json!({"slug": a.slug, "by": a.by, "terms": j.terms.to_string(), "slots": j.slots, "promised": j.promised,
                   "delivered": j.delivered, "rate": j.rate.map(round4), "overpromised": j.overpromised,
                   "suggested_terms": j.suggested.map(|t| t.to_string())})
        }).collect::<Vec<_>>(),
        "people": people.iter().map(|p| json!({"name": p.name, "promised": p.promised, "delivered": p.delivered,
                   "rate": p.rate.map(round4), "overpromised": p.overpromised})).collect::<Vec<_>>(),
    })
}

/// "4 a month" / "1 a week".
pub fn per_words(t: &Terms) -> String {
    match t.per_period() {
        Some((n, p)) => format!("{n} a {}", p.name()),
        None => t.to_string(),
    }
}

pub fn over_sentence(a: &Agreement, j: &Judgement) -> String {
    // An excused slot is shown as excused, never as 0 (docs/design.md §4).
    let delivered: Vec<String> = j
        .per_slot
        .iter()
        .zip(&j.excused_per_slot)
        .map(|(d, e)| match (d, e) {
            (0, e) if *e > 0 => "excused".to_string(),
            (d, 0) => d.to_string(),
            (d, e) => format!("{d} (+{e} excused)"),
        })
        .collect();
    // Four weeks of a daily promise is 28 numbers nobody reads: past a dozen
    // slots, the sum over them — which the table beside it repeats.
    let record = if delivered.len() > 12 {
        let excused: u32 = j.excused_per_slot.iter().sum();
        let over = match j.terms {
            Terms::Quota { period, .. } => format!("the last {} {}s", j.slots, period.name()),
            _ => format!("the last {} times it was due", j.slots),
        };
        let excused = if excused > 0 { format!(", {excused} excused") } else { String::new() };
        format!("{} of {} over {over}{excused}", j.delivered, j.promised)
    } else {
        delivered.join(", ")
    };
    let mut s =
        format!("{}: {} promised {} and delivered {record} ({})", a.slug, a.by, per_words(&j.terms), percent(j.rate));
    match (&j.suggested, j.overpromised) {
        (Some(t), true) => s.push_str(&format!(" — promise {} and keep it.", per_words(t))),
        (None, true) if j.delivered == 0 => {
            s.push_str(" — nothing was delivered lately; talk about what could really be promised.")
        }
        // Delivered, but less than once a year: no quota fits (docs/design.md §4).
        (None, true) => s.push_str(" — less than once a year; talk about what could really be promised."),
        _ => s.push_str(" — within what the record supports."),
    }
    s
}

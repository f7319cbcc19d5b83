//! The weekly report rendered from its one model (`domain::weekly`): text
//! (the terminal's table), Markdown (to paste to the partner), CSV and JSON
//! (docs/cli.md's shape, which the weekly page reads back). What the screens
//! share — the title, the table's cells, the notes under it, what a person's
//! figure averages — is worded once, here.

mod csv;
mod json;
mod markdown;
mod text;

pub use csv::write_csv;
pub use json::{report_json, trust_json};
pub use markdown::write_markdown;
pub use text::write_text;

use crate::domain::weekly::{PersonModel, ReportModel};
use crate::render::{change, count, trust2, words};
use chrono::Datelike;

/// The columns of the weekly table, in text and Markdown alike.
const HEADERS: [&str; 8] = ["promise", "by", "promised", "kept", "broken", "excused", "missed", "trust"];

/// "Week 47 · 16 Nov–22 Nov 2026 · Alex & Sam", each name written by `name`
/// (Markdown escapes them; the names are people's words, the rest ours).
fn title(m: &ReportModel, name: fn(&str) -> String) -> String {
    let last_day = m.week.monday + chrono::Days::new(6);
    // A week across New Year says both years: "28 Dec 2026–3 Jan 2027".
    let first = if m.week.monday.year() == last_day.year() { "%-d %b" } else { "%-d %b %Y" };
    let span = format!("{}–{}", m.week.monday.format(first), last_day.format("%-d %b %Y"));
    let names: Vec<String> = m.people.iter().map(|p| name(&p.name)).collect();
    let week_no = m.week.label.split("-W").nth(1).unwrap_or("").trim_start_matches('0');
    format!(
        "Week {week_no} · {span}{}",
        if names.is_empty() { String::new() } else { format!(" · {}", names.join(" & ")) }
    )
}

/// The table's cells, a row per agreement, and the notes under it.
fn table(m: &ReportModel) -> (Vec<Vec<String>>, Vec<String>) {
    let mut notes: Vec<String> = Vec::new();
    let rows = m
        .rows
        .iter()
        .map(|rm| {
            let (a, r) = (rm.agreement, &rm.row);
            if let Some((k, p, d)) = r.open.filter(|(k, p, _)| k < p) {
                notes.push(format!("{}: {k} of {p} so far, due {}", a.slug, words::due(d, a.zone, m.now)));
            } else if let Some(p) = rm.period {
                let progress = words::progress(p.kept, p.promised, p.period, p.first, a.zone, m.now);
                notes.push(format!("{}: {progress}", a.slug));
            }
            if r.extra > 0 {
                notes.push(format!("{}: {} kept beyond the promise (shown, not scored)", a.slug, r.extra));
            }
            if r.late > 0 {
                notes.push(format!("{}: {} kept after the deadline (late)", a.slug, r.late));
            }
            vec![
                a.slug.clone(),
                a.by.clone(),
                if r.standing { "—".into() } else { count(r.promised) },
                count(r.kept),
                count(r.broken),
                count(r.excused),
                count(r.missed),
                format!("{} {}", trust2(r.trust), change(r.trust_change)),
            ]
        })
        .collect();
    notes.extend(carried(m));
    (rows, notes)
}

/// Misses scored this week from slots due before it (`Carried`).
fn carried(m: &ReportModel) -> Vec<String> {
    m.carried
        .iter()
        .map(|c| {
            let (a, now) = (c.agreement, m.now);
            format!(
                "{}: the slot due {} closed {} with {} missed — scored this week",
                a.slug,
                words::due(c.due, a.zone, now),
                words::due(c.closed, a.zone, now),
                c.missed
            )
        })
        .collect()
}

/// What a person's figure is the mean of, when the table alone does not
/// show it: "the mean of 2 promises: weekends 0.25, date-night 0.59". When
/// the person's rows in the table are exactly the promises averaged, the
/// table already adds up and nothing is said.
fn averages_words(m: &ReportModel, p: &PersonModel) -> Option<String> {
    let mut shown: Vec<i64> = m.rows.iter().filter(|r| r.agreement.by == p.name).map(|r| r.agreement.id).collect();
    let mut averaged: Vec<i64> = p.averages.iter().map(|(a, _)| a.id).collect();
    shown.sort_unstable();
    averaged.sort_unstable();
    if shown == averaged || p.averages.is_empty() {
        return None;
    }
    let each: Vec<String> = p.averages.iter().map(|(a, t)| format!("{} {}", a.slug, trust2(*t))).collect();
    Some(match each.len() {
        1 => format!("the trust of 1 promise: {}", each[0]),
        n => format!("the mean of {n} promises: {}", each.join(", ")),
    })
}

//! The weekly page: `report --format html`. One self-contained document —
//! inline CSS and SVG, no script, font or image from elsewhere, and a
//! Content-Security-Policy that forbids everything but its own stylesheet.
//!
//! It renders the report model exactly as `report --json` prints it (the
//! command hands over that JSON value), so the page and the JSON can never
//! disagree on a number. The few phrases that need the ledger (what is coming
//! up, over-promising sentences) come in as words. maud escapes every text;
//! user text is also isolated with `<bdi>` so a right-to-left mark in a note
//! cannot reorder the page around it.

use super::chart::{Chart, short_week};
use base64::Engine;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

#[derive(Deserialize, Debug)]
pub struct Model {
    pub week: String,
    pub start: String,
    pub end: String,
    pub agreements: Vec<Row>,
    pub people: Vec<Person>,
    pub overall: TrustFig,
    pub entries: Vec<EntryView>,
    pub overpromising: Overpromising,
    pub upcoming: Vec<DueView>,
    /// "To talk about" (DESIGN.md §10), once the report carries it.
    #[serde(default)]
    pub talk: Vec<Value>,
}

#[derive(Deserialize, Debug)]
pub struct Row {
    pub slug: String,
    pub by: String,
    pub to: String,
    pub promised: u32,
    pub kept: u32,
    pub broken: u32,
    pub excused: u32,
    pub missed: u32,
    pub extra: u32,
    pub late: u32,
    pub open: Option<Open>,
    pub trust: f64,
    pub trust_change: f64,
    pub rate: Option<f64>,
}

#[derive(Deserialize, Debug)]
pub struct Open {
    pub kept: u32,
    pub promised: u32,
    pub due: String,
}

#[derive(Deserialize, Debug)]
pub struct Person {
    pub name: String,
    #[serde(flatten)]
    pub fig: TrustFig,
}

#[derive(Deserialize, Debug)]
pub struct TrustFig {
    pub trust: f64,
    pub trust_change: f64,
    pub rate: Option<f64>,
}

#[derive(Deserialize, Debug)]
pub struct EntryView {
    pub id: i64,
    pub agreement: String,
    pub outcome: String,
    pub at: String,
    pub note: Option<String>,
    pub by: String,
    #[serde(default)]
    pub late: Option<bool>,
    #[serde(default)]
    pub counts: Option<bool>,
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Deserialize, Debug)]
pub struct Overpromising {
    pub agreements: Vec<OverAgreement>,
    pub people: Vec<OverPerson>,
}

#[derive(Deserialize, Debug)]
pub struct OverAgreement {
    pub slug: String,
    pub by: String,
    pub terms: String,
    pub slots: u32,
    pub promised: u32,
    pub delivered: u32,
    pub rate: Option<f64>,
    pub overpromised: bool,
    pub suggested_terms: Option<String>,
}

#[derive(Deserialize, Debug)]
pub struct OverPerson {
    pub name: String,
    pub promised: u32,
    pub delivered: u32,
    pub rate: Option<f64>,
    pub overpromised: bool,
}

#[derive(Deserialize, Debug)]
pub struct DueView {
    pub slug: String,
    pub due: String,
    pub remaining: u32,
    pub kind: String,
}

/// One week of the page: its model and its heading.
pub struct WeekPart {
    pub model: Model,
    /// "Week 47 · 16–22 Nov 2026".
    pub title: String,
}

/// Everything the page shows.
pub struct Page {
    /// "Week 47 · 16–22 Nov 2026" or "Weeks 44–47 · 26 Oct – 22 Nov 2026".
    pub title: String,
    /// "Alex & Sam".
    pub names: String,
    /// "Mon 23 Nov 2026 18:00".
    pub made: String,
    /// Oldest first; the last one is the week asked for.
    pub weeks: Vec<WeekPart>,
    /// Over-promising sentences, one per element of the last week's
    /// `overpromising.agreements` (the terminal's wording).
    pub over_words: Vec<String>,
    /// Coming-up phrases, one per element of the last week's `upcoming`.
    pub upcoming_words: Vec<String>,
    /// Slugs of standing promises (nothing is due; entries are counted).
    pub standing: Vec<String>,
    /// Promise texts by slug, as they were said.
    pub texts: Vec<(String, String)>,
    pub chart: Chart,
    pub trust_start: f64,
}

const CSS: &str = include_str!("page.css");

/// The stylesheet's hash for the Content-Security-Policy.
fn style_hash() -> String {
    let digest = Sha256::digest(CSS.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

pub fn csp() -> String {
    format!(
        "default-src 'none'; style-src {}; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        style_hash()
    )
}

/// Text that came from a person: no control characters (newlines kept).
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n').collect()
}

/// User text, escaped by maud and isolated for bidirectional text.
fn user(s: &str) -> Markup {
    html! { bdi { (clean(s)) } }
}

fn trust2(x: f64) -> String {
    format!("{x:.2}")
}

fn percent(x: Option<f64>) -> String {
    super::percent(x)
}

/// "rose 0.03", "fell 0.08", "held" — for the words; the arrow for the eye.
fn change_words(x: f64) -> (String, &'static str) {
    let r = (x * 100.0).round() / 100.0;
    if r > 0.0 {
        (format!("▲{r:.2}"), "up")
    } else if r < 0.0 {
        (format!("▼{:.2}", -r), "down")
    } else {
        ("±0.00".into(), "level")
    }
}

/// An RFC 3339 time as people read it: "Fri 27 Nov 19:00"; an end of day
/// (00:00 of the next) is shown as that day.
pub fn when(rfc: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc) {
        Ok(t) if t.time() == chrono::NaiveTime::MIN => {
            (t - chrono::Duration::seconds(1)).format("%a %-d %b").to_string()
        }
        Ok(t) => t.format("%a %-d %b %H:%M").to_string(),
        Err(_) => clean(rfc),
    }
}

fn exact(x: f64) -> String {
    format!("{x:.4}")
}

fn trust_fig(label: &str, f: &TrustFig, main: bool) -> Markup {
    let (arrow, dir) = change_words(f.trust_change);
    html! {
        div class={ "fig" @if main { " fig-main" } } {
            p class="fig-who" { (user(label)) }
            p class="fig-num" {
                data value=(exact(f.trust)) { (trust2(f.trust)) }
                " "
                span class={ "chg chg-" (dir) } title="change over the week" {
                    data value=(exact(f.trust_change)) { (arrow) }
                }
            }
            (gauge(f.trust))
            p class="fig-sub" { "follow-through " data value=[f.rate.map(exact)] { (percent(f.rate)) } }
        }
    }
}

/// A small bar for a value in [0, 1]; decorative (the number is beside it).
fn gauge(v: f64) -> Markup {
    let w = (v.clamp(0.0, 1.0) * 100.0 * 10.0).round() / 10.0;
    html! {
        svg class="gauge" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
            rect class="g-track" x="0" y="0" width="100" height="6" rx="3" {}
            rect class="g-fill" x="0" y="0" width=(w) height="6" rx="3" {}
        }
    }
}

fn progress(r: &Row, standing: bool) -> Markup {
    let nothing_due = !standing && r.promised == 0 && r.missed == 0 && r.excused == 0 && r.open.is_none();
    let mut parts: Vec<String> = Vec::new();
    if r.broken > 0 {
        parts.push(format!("{} broken", r.broken));
    }
    if r.missed > 0 {
        parts.push(format!("{} missed", r.missed));
    }
    if r.excused > 0 {
        parts.push(format!("{} excused", r.excused));
    }
    if r.extra > 0 {
        parts.push(format!("{} extra (shown, not scored)", r.extra));
    }
    if r.late > 0 {
        parts.push(format!("{} kept late", r.late));
    }
    html! {
        @if nothing_due {
            span class="muted" { "nothing due this week — see what happened" }
        } @else if standing {
            span { (r.kept) " kept" }
            @if r.broken > 0 { " · " (r.broken) " broken" }
            span class="muted" { " · an ongoing promise" }
        } @else {
            span { (r.kept.min(r.promised)) " of " (r.promised) " kept" }
            @if r.promised > 0 {
                (gauge(r.kept.min(r.promised) as f64 / r.promised as f64))
            }
            @if let Some(o) = r.open.as_ref().filter(|o| o.kept < o.promised) {
                span class="muted" { (o.kept) " of " (o.promised) " so far · due " (when(&o.due)) }
            }
            @if !parts.is_empty() { span class="muted" { (parts.join(" · ")) } }
        }
    }
}

fn heading(level: u8, id: &str, text: &str) -> Markup {
    html! {
        @match level {
            2 => h2 id=(id) { (text) },
            _ => h3 id=(id) { (text) },
        }
    }
}

fn outcome_words(o: &str) -> &str {
    match o {
        "kept" => "kept",
        "broken" => "broken",
        "excused" => "excused",
        other => other,
    }
}

fn week_part(page: &Page, w: &WeekPart, k: usize, multi: bool) -> Markup {
    let m = &w.model;
    let lvl = if multi { 3 } else { 2 };
    let text_of = |slug: &str| page.texts.iter().find(|(s, _)| s == slug).map(|(_, t)| t.as_str());
    let id = |s: &str| format!("{s}-{k}");
    html! {
        div class="weekpart" data-week=(m.week) data-start=(m.start) data-end=(m.end) {
        @if multi { h2 id=(id("week")) class="week-title" { (w.title) } }
        section aria-labelledby=(id("trust")) {
            (heading(lvl, &id("trust"), "Trust at the week's end"))
            div class="figs" {
                (trust_fig("Together", &m.overall, true))
                @for p in &m.people { (trust_fig(&p.name, &p.fig, false)) }
            }
        }
        section aria-labelledby=(id("promises")) {
            (heading(lvl, &id("promises"), "The week's promises"))
            @if m.agreements.is_empty() {
                p { "Nothing was due and nothing was logged this week." }
            } @else {
                table class="promises" {
                    caption class="sr" { "Each promise due or logged in " (w.title) ", with what was kept and its trust" }
                    thead { tr {
                        th scope="col" { "Promise" }
                        th scope="col" { "Who" }
                        th scope="col" { "Progress" }
                        th scope="col" class="num" { "Trust" }
                        th scope="col" class="num" { "Follow-through" }
                    } }
                    tbody {
                        @for r in &m.agreements {
                            @let (arrow, dir) = change_words(r.trust_change);
                            tr {
                                th scope="row" data-label="Promise" {
                                    span class="slug" { (user(&r.slug)) }
                                    @if let Some(t) = text_of(&r.slug) { span class="said" { "“" (user(t)) "”" } }
                                }
                                td data-label="Who" class="who" { (user(&r.by)) " → " (user(&r.to)) }
                                td data-label="Progress" class="prog" { (progress(r, page.standing.contains(&r.slug))) }
                                td data-label="Trust" class="num" {
                                    data value=(exact(r.trust)) { (trust2(r.trust)) }
                                    " " span class={ "chg chg-" (dir) } { data value=(exact(r.trust_change)) { (arrow) } }
                                }
                                td data-label="Follow-through" class="num" { data value=[r.rate.map(exact)] { (percent(r.rate)) } }
                            }
                        }
                    }
                }
            }
        }
        @if !m.entries.is_empty() {
            section aria-labelledby=(id("happened")) {
                (heading(lvl, &id("happened"), "What happened"))
                ul class="entries" {
                    @for e in &m.entries {
                        li id={ "entry-" (e.id) } {
                            span class="when" { (when(&e.at)) }
                            " · " span class="slug" { (user(&e.agreement)) }
                            " · " strong { (outcome_words(&e.outcome)) }
                            @if e.late == Some(true) { " (late)" }
                            @if e.counts == Some(false) {
                                span class="muted" { " — counts for nothing" @if let Some(w) = &e.why { ": " (user(w)) } }
                            }
                            span class="muted" { " · logged by " (user(&e.by)) }
                            @if let Some(n) = &e.note { p class="note" { (user(n)) } }
                        }
                    }
                }
            }
        }
        @if !m.talk.is_empty() {
            section aria-labelledby=(id("talk")) {
                (heading(lvl, &id("talk"), "To talk about"))
                ul class="talk" {
                    @for t in &m.talk { li { (talk_item(t)) } }
                }
            }
        }
        }
    }
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

/// One "To talk about" item, worded as a difference in what two people saw.
fn talk_item(t: &Value) -> Markup {
    let kind = s(t, "kind").unwrap_or("");
    let slug = s(t, "agreement").unwrap_or("");
    let entry = t.get("entry").filter(|e| !e.is_null());
    let repair = t.get("repair").filter(|r| !r.is_null());
    let lead = match kind {
        "dispute" => "Seen differently",
        "late_excuse" => "A late excuse, waiting to be confirmed",
        "repair_offered" => "A repair offered",
        "repair_accepted" => "A repair accepted",
        _ => "To talk about",
    };
    html! {
        strong { (lead) } " · " span class="slug" { (user(slug)) }
        @if let Some(e) = entry {
            " · " (s(e, "outcome").unwrap_or("")) " " (s(e, "at").map(when).unwrap_or_default())
            @if let Some(n) = s(e, "note") { p class="note" { "Note: " (user(n)) } }
            @if let Some(v) = e.get("verdict").filter(|v| !v.is_null()) {
                p class="note" {
                    @if s(v, "verdict") == Some("disputed") {
                        (user(s(v, "by").unwrap_or(""))) " saw it differently"
                    } @else {
                        (user(s(v, "by").unwrap_or(""))) " " (s(v, "verdict").unwrap_or(""))
                    }
                    @if let Some(n) = s(v, "note") { ": “" (user(n)) "”" }
                }
            }
        }
        @if let Some(r) = repair {
            @let who = s(r, "by").unwrap_or("");
            @if let Some(u) = s(r, "understood") { p class="note" { "What happened, in " (user(who)) "’s words: “" (user(u)) "”" } }
            @if let Some(f) = s(r, "feeling") { p class="note" { "How it felt: “" (user(f)) "”" } }
            @if let Some(a) = s(r, "apology") { p class="note" { "Apology: “" (user(a)) "”" } }
            @if let Some(p) = s(r, "plan") { p class="note" { "Plan: “" (user(p)) "”" } }
            @if let Some(acc) = r.get("accepted").filter(|a| !a.is_null()) {
                p class="note" { (user(s(acc, "by").unwrap_or(""))) " accepted it — choosing to trust a little more." }
            }
        }
    }
}

pub fn page(p: &Page) -> String {
    let multi = p.weeks.len() > 1;
    let Some(last) = p.weeks.last() else { return String::new() };
    let m = &last.model;
    let over: Vec<(usize, &OverAgreement)> =
        m.overpromising.agreements.iter().enumerate().filter(|(_, o)| o.overpromised).collect();
    let rows_table: Vec<&super::chart::Point> = p.chart.points.iter().collect();
    let doc = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp());
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="color-scheme" content="light dark";
                title { "troth · " (p.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    header {
                        h1 { (p.title) }
                        p class="sub" {
                            @if !p.names.is_empty() { (user(&p.names)) " · " }
                            "a week to read together · made " (p.made)
                        }
                    }
                    @for (k, w) in p.weeks.iter().enumerate() {
                        @if multi { section class="week" aria-labelledby={ "week-" (k) } { (week_part(p, w, k, true)) } }
                        @else { (week_part(p, w, k, false)) }
                    }
                    section aria-labelledby="trend" class="trend" {
                        h2 id="trend" { "Trust, week by week" }
                        figure {
                            (p.chart.svg(false, "chart"))
                            figcaption {
                                "Each point is trust at the end of its week. "
                                "The dashed line is where trust starts (" (trust2(p.trust_start)) "). "
                                @if p.chart.visible_marks().iter().any(|m| m.kind == super::chart::MarkKind::Paused) {
                                    "Shaded spans: a promise was paused. "
                                }
                                @if p.chart.visible_marks().iter().any(|m| m.kind == super::chart::MarkKind::Amended) {
                                    "Purple dashed lines: a promise was renegotiated. "
                                }
                            }
                        }
                        details {
                            summary { "The chart as a table" }
                            table class="trend-table" {
                                thead { tr {
                                    th scope="col" { "Week" } th scope="col" { "Days" }
                                    th scope="col" class="num" { "Trust at its end" } th scope="col" class="num" { "Follow-through" }
                                } }
                                tbody {
                                    @for pt in &rows_table {
                                        tr {
                                            th scope="row" { (short_week(&pt.label)) }
                                            td { (pt.days) }
                                            td class="num" {
                                                @match pt.trust {
                                                    Some(v) => { data value=(exact(v)) { (trust2(v)) } @if pt.so_far { " so far" } },
                                                    None => "—",
                                                }
                                            }
                                            td class="num" { (percent(pt.rate)) }
                                        }
                                    }
                                }
                            }
                            @let marks = p.chart.visible_marks();
                            @if !marks.is_empty() {
                                ul { @for mk in marks { li { span class="slug" { (user(&mk.slug)) } " " (mk.words) } } }
                            }
                        }
                    }
                    section aria-labelledby="renegotiate" {
                        h2 id="renegotiate" { "Promises to renegotiate" }
                        @if over.is_empty() {
                            p { "No promise is more than its record supports. Keep going." }
                        } @else {
                            ul class="over" {
                                @for (i, o) in &over {
                                    li {
                                        (user(p.over_words.get(*i).map(String::as_str).unwrap_or(&o.slug)))
                                        @if let Some(t) = &o.suggested_terms {
                                            p class="suggest" { "Suggested terms: " strong { (t) } " instead of " (o.terms) " · " (user(&o.by)) " delivered "
                                                (o.delivered) " of " (o.promised) " in the last " (o.slots) " periods (" (percent(o.rate)) ")" }
                                        }
                                    }
                                }
                            }
                        }
                        @let people: Vec<&OverPerson> = m.overpromising.people.iter().filter(|x| x.overpromised).collect();
                        @for x in people {
                            p { (user(&x.name)) " promised " (x.promised) " and delivered " (x.delivered) " (" (percent(x.rate)) "): "
                                "fewer, kept promises build trust faster." }
                        }
                    }
                    section aria-labelledby="coming" {
                        h2 id="coming" { "Coming up" }
                        @if m.upcoming.is_empty() {
                            p { "Nothing falls due in the next 7 days." }
                        } @else {
                            ul class="coming" {
                                @for (i, d) in m.upcoming.iter().enumerate() {
                                    li {
                                        span class="slug" { (user(&d.slug)) } " — "
                                        (user(p.upcoming_words.get(i).map(String::as_str).unwrap_or(&d.kind)))
                                        span class="sr" { " (" (d.remaining) " remaining, due " (when(&d.due)) ")" }
                                    }
                                }
                            }
                        }
                    }
                    footer {
                        h2 id="how" { "How to read this" }
                        p {
                            "Trust starts at " (trust2(p.trust_start)) " for each promise. Each kept promise lifts it a little; "
                            "each broken or missed one lowers it more — it is rebuilt slowly, in small steps. "
                            "Follow-through is how much of what was promised was delivered. "
                            "Together is the mean over every promise, so each counts the same."
                        }
                        p class="muted" { "Made by troth from your private ledger. Nothing on this page was sent anywhere, and it loads nothing from anywhere." }
                    }
                }
            }
        }
    };
    doc.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_day_is_that_day() {
        assert_eq!(when("2026-11-30T00:00:00+01:00"), "Sun 29 Nov");
        assert_eq!(when("2026-11-27T19:00:00+01:00"), "Fri 27 Nov 19:00");
    }

    #[test]
    fn the_policy_names_the_stylesheet() {
        assert!(csp().starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!CSS.contains("url("), "the stylesheet loads nothing");
        assert!(!CSS.contains("@import"));
    }
}

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

use super::chart::short_week;
use base64::Engine;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

mod model;
mod week;

pub use model::*;
use week::week_part;

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
    super::trust2(x)
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
/// (00:00 of the next, or where that midnight is skipped the first time the
/// next day has, in `zone`) is shown as that day.
pub fn when(rfc: &str, zone: Option<chrono_tz::Tz>) -> String {
    use super::words::{end_date, is_day_end};
    match (chrono::DateTime::parse_from_rfc3339(rfc), zone) {
        (Ok(t), Some(z)) if is_day_end(t.to_utc(), z) => end_date(t.to_utc(), z).format("%a %-d %b").to_string(),
        (Ok(t), None) if t.time() == chrono::NaiveTime::MIN => {
            (t - chrono::Duration::seconds(1)).format("%a %-d %b").to_string()
        }
        (Ok(t), _) => t.format("%a %-d %b %H:%M").to_string(),
        (Err(_), _) => clean(rfc),
    }
}

/// The zone of the promise called `slug` on this page.
fn zone_of(p: &Page, slug: &str) -> Option<chrono_tz::Tz> {
    p.zones.iter().find(|(s, _)| s == slug).map(|(_, z)| *z)
}

/// An RFC 3339 time something happened at: always with its time — an entry
/// at 00:00 is the start of that day, not the end of the one before.
pub fn moment(rfc: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc) {
        Ok(t) => t.format("%a %-d %b %H:%M").to_string(),
        Err(_) => clean(rfc),
    }
}

fn exact(x: f64) -> String {
    super::trust4(x)
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

fn progress(r: &Row, standing: bool, zone: Option<chrono_tz::Tz>) -> Markup {
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
                span class="muted" { (o.kept) " of " (o.promised) " so far · due " (when(&o.due, zone)) }
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

pub fn page(p: &Page) -> String {
    let multi = p.weeks.len() > 1;
    let Some(last) = p.weeks.last() else { return String::new() };
    let m = &last.model;
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
                    (trend(p))
                    (renegotiate(p, m))
                    (coming(p, m))
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

/// The trend: the chart, and the same figures as a table.
fn trend(p: &Page) -> Markup {
    let rows_table: Vec<&super::chart::Point> = p.chart.points.iter().collect();
    html! {
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
    }
}

/// Promises to renegotiate (docs/design.md §7), and people over-promising.
fn renegotiate(p: &Page, m: &Model) -> Markup {
    let over: Vec<(usize, &OverAgreement)> =
        m.overpromising.agreements.iter().enumerate().filter(|(_, o)| o.overpromised).collect();
    html! {
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
    }
}

/// What falls due in the next 7 days.
fn coming(p: &Page, m: &Model) -> Markup {
    html! {
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
                            span class="sr" { " (" (d.remaining) " remaining, due " (when(&d.due, zone_of(p, &d.slug))) ")" }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_day_is_that_day() {
        assert_eq!(when("2026-11-30T00:00:00+01:00", None), "Sun 29 Nov");
        assert_eq!(when("2026-11-27T19:00:00+01:00", None), "Fri 27 Nov 19:00");
    }

    #[test]
    fn an_entry_at_midnight_is_on_its_own_day() {
        // Logged at 00:00 on Friday: the start of Friday, not "Thu 26 Nov".
        assert_eq!(moment("2026-11-27T00:00:00+01:00"), "Fri 27 Nov 00:00");
        assert_eq!(moment("2026-11-27T19:30:00+01:00"), "Fri 27 Nov 19:30");
    }

    #[test]
    fn the_policy_names_the_stylesheet() {
        assert!(csp().starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!CSS.contains("url("), "the stylesheet loads nothing");
        assert!(!CSS.contains("@import"));
    }
}

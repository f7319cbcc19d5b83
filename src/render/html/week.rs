//! One week of the page: the figures, each promise's row, what happened,
//! and what to talk about.

use super::{
    Page, WeekPart, change_words, exact, heading, moment, outcome_words, percent, progress, trust_fig, trust2, user,
};
use maud::{Markup, html};
use serde_json::Value;
pub(super) fn week_part(page: &Page, w: &WeekPart, k: usize, multi: bool) -> Markup {
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
                                td data-label="Progress" class="prog" { (progress(r, page.standing.contains(&r.slug), super::zone_of(page, &r.slug))) }
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
                            span class="when" { (moment(&e.at)) }
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
            " · " (s(e, "outcome").unwrap_or("")) " " (s(e, "at").map(moment).unwrap_or_default())
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

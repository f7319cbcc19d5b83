//! `report --format html`: gathers the weekly page — each week's report
//! model exactly as `report --json` prints it, the trend chart (the same
//! data as `trend`), and the words that need the ledger — and hands it to
//! `render::html`. Also builds the chart that `trend --svg` writes.

use super::Ctx;
use super::check_person;
use crate::cli::{ReportArgs, ReportFormat};
use crate::domain::fold::Keep;
use crate::domain::report::{self, Item, Week};
use crate::domain::slots::Status;
use crate::domain::time::{Instant, human_date, human_datetime};
use crate::domain::trust::Group;
use crate::domain::weekly;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::chart::{Chart, Mark, MarkKind, Point};
use crate::render::due::due_words;
use crate::render::html::{Model, Page, WeekPart, page};
use crate::render::over::over_sentence;
use chrono::Duration;
use std::io::Write;

/// "Week 47 · 16–22 Nov 2026".
fn week_title(w: &Week) -> String {
    let last_day = w.monday + chrono::Days::new(6);
    let no = w.label.split("-W").nth(1).unwrap_or("").trim_start_matches('0');
    format!("Week {no} · {}–{}", w.monday.format("%-d %b"), last_day.format("%-d %b %Y"))
}

pub fn report_html(ctx: &Ctx, ledger: &Ledger, a: &ReportArgs, week: &Week, out: &mut dyn Write) -> Result<()> {
    let home = ctx.settings.zone;
    let mut weeks = vec![week.clone()];
    for _ in 1..a.weeks {
        let prev = weeks.last().expect("one").previous(home);
        weeks.push(prev);
    }
    weeks.reverse();
    let parts = week_parts(ctx, ledger, a, &weeks)?;

    let agreements = ledger.agreements()?;
    check_person(&agreements, a.by.as_deref())?;
    let horizon = (ctx.now + Duration::days(8)).max(week.end);
    let current = Week::containing(ctx.now, home);
    let span = ((current.monday - weeks[0].monday).num_days() / 7 + 1).clamp(12, 520) as u32;
    // What is open now and the trend's weeks: each promise's earlier history
    // folds into one score as it is read (`domain::fold`).
    let trend_from = (current.start - Duration::weeks(span.into())).min(ctx.now);
    let keep = Keep { trust_from: trend_from, ..Keep::from(ctx.now) };
    let book = super::book(ctx, ledger, &agreements, (Instant::MIN_UTC, horizon), &keep)?;
    let (over, _, upcoming) =
        weekly::as_of_now(&book, ctx.now, ctx.settings.zone, ctx.settings.threshold, a.by.as_deref());
    let by_id = report::index(&book);
    let over_words = over.iter().map(|o| over_sentence(by_id[&o.agreement_id], &o.judgement)).collect();
    let upcoming_words = upcoming.iter().map(|d| due_words(d, by_id[&d.agreement_id], ctx.now)).collect();

    let items: Vec<&Item> = book.items.iter().filter(|i| a.by.as_deref().is_none_or(|b| i.agreement.by == b)).collect();
    let points = report::trend(&items, &ctx.settings.trust, ctx.now, home, span);
    let subject = a.by.clone().unwrap_or_else(|| "overall".into());
    let chart = chart(ctx, &items, format!("{subject} trust"), &points);

    let texts = texts(&items, ctx.now);
    let standing = items
        .iter()
        .filter(|i| {
            i.agreement.plan.versions_in_force().iter().all(|v| v.terms == crate::domain::terms::Terms::Standing)
        })
        .map(|i| i.agreement.slug.clone())
        .collect();
    let last = parts.last().expect("one week");
    let names: Vec<&str> = last.model.people.iter().map(|p| p.name.as_str()).collect();
    let title = if parts.len() == 1 { last.title.clone() } else { weeks_title(&weeks) };
    let made = ctx.now.with_timezone(&home).format("%a %-d %b %Y %H:%M").to_string();
    let p = Page {
        title,
        names: names.join(" & "),
        made,
        weeks: parts,
        over_words,
        upcoming_words,
        standing,
        texts,
        zones: items.iter().map(|i| (i.agreement.slug.clone(), i.agreement.zone)).collect(),
        chart,
        trust_start: ctx.settings.trust.start,
    };
    out.write_all(page(&p).as_bytes())?;
    Ok(())
}

/// Each week's part of the page. Its numbers are the JSON report's, parsed
/// back: one model, so the page and `report --json` cannot disagree.
fn week_parts(ctx: &Ctx, ledger: &Ledger, a: &ReportArgs, weeks: &[Week]) -> Result<Vec<WeekPart>> {
    let mut parts = Vec::new();
    for w in weeks {
        let mut buf = Vec::new();
        let args = ReportArgs {
            week: Some(w.label.clone()),
            by: a.by.clone(),
            format: Some(ReportFormat::Json),
            output: None,
            weeks: 1,
        };
        super::report::report(ctx, ledger, args, &mut buf)?;
        let model: Model = serde_json::from_slice(&buf)
            .map_err(|e| Error::failure(format!("could not read the report model back: {e}")))?;
        parts.push(WeekPart { model, title: week_title(w) });
    }
    Ok(parts)
}

/// "Weeks 46–48 · 9 Nov 2026 – 29 Nov 2026": the title of a page of several
/// weeks, the first to the last.
fn weeks_title(weeks: &[Week]) -> String {
    let (first, last) = (&weeks[0], weeks.last().expect("one week"));
    let last_day = last.monday + chrono::Days::new(6);
    format!(
        "Weeks {}–{} · {} – {}",
        first.label.split("-W").nth(1).unwrap_or("").trim_start_matches('0'),
        last.label.split("-W").nth(1).unwrap_or("").trim_start_matches('0'),
        first.monday.format("%-d %b %Y"),
        last_day.format("%-d %b %Y")
    )
}

/// Each promise's words by slug, in the order of `items`. A slug is unique
/// among live promises: where a retired or void one shares it, the live one
/// speaks.
fn texts(items: &[&Item], now: Instant) -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for i in items {
        let ag = i.agreement;
        if let Some(t) = texts.iter_mut().find(|(s, _)| *s == ag.slug) {
            if ag.is_live(now) {
                t.1 = ag.text.clone();
            }
        } else {
            texts.push((ag.slug.clone(), ag.text.clone()));
        }
    }
    texts
}

/// The trend chart over `points` (from `report::trend`), with the pauses and
/// amends of the promises behind it.
pub fn chart(ctx: &Ctx, items: &[&Item], title: String, points: &[(Week, Option<Group>)]) -> Chart {
    let now = ctx.now;
    let pts = points
        .iter()
        .map(|(w, g)| Point {
            label: w.label.clone(),
            days: format!("{}–{}", w.monday.format("%-d %b"), (w.monday + chrono::Days::new(6)).format("%-d %b")),
            start: w.start,
            end: w.end,
            trust: g.map(|g| g.trust),
            rate: g.and_then(|g| g.rate),
            so_far: w.end > now,
        })
        .collect();
    let mut marks = Vec::new();
    for i in items {
        let ag = i.agreement;
        let statuses = ag.plan.statuses_in_force();
        for (k, st) in statuses.iter().enumerate() {
            if st.status != Status::Paused || st.effective > now {
                continue;
            }
            let until = statuses[k + 1..].iter().find(|n| n.status != Status::Paused).map(|n| n.effective);
            let until = until.filter(|u| *u <= now);
            let words = match until {
                Some(u) => {
                    format!("paused from {} to {}", human_date(st.effective, ag.zone, now), human_date(u, ag.zone, now))
                }
                None => format!("paused since {}", human_date(st.effective, ag.zone, now)),
            };
            marks.push(Mark { kind: MarkKind::Paused, slug: ag.slug.clone(), at: st.effective, until, words });
        }
        for v in ag.plan.versions_in_force().iter().skip(1).filter(|v| v.effective <= now) {
            let words = format!("amended to {} from {}", v.terms, human_datetime(v.effective, ag.zone, now));
            marks.push(Mark { kind: MarkKind::Amended, slug: ag.slug.clone(), at: v.effective, until: None, words });
        }
    }
    marks.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.slug.cmp(&b.slug)));
    Chart { title, points: pts, marks, baseline: ctx.settings.trust.start }
}

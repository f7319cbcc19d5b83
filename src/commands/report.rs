//! `troth report`: the weekly summary to read together, as text, Markdown,
//! CSV or JSON.

use super::check_person;
use super::csv_err;
use super::{Book, Ctx};
use crate::cli::{ReportArgs, ReportFormat};
use crate::domain::Agreement;
use crate::domain::fold::Keep;
use crate::domain::report::{self, Due, Over, OverPerson, Summary, Week};
use crate::domain::time::{self, human_datetime, rfc3339};
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::due::{due_json, due_words};
use crate::render::json::{entry_json, round4, write_json};
use crate::render::over::{over_json, over_sentence};
use crate::render::{self, change, count, paint, percent, trust2, words};
use chrono::Duration;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;

fn trust_json(t: &report::Trust) -> Value {
    json!({"trust": round4(t.trust), "trust_change": round4(t.trust_change), "rate": t.rate.map(round4)})
}

pub fn report(ctx: &Ctx, ledger: &Ledger, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = a.output.clone() {
        // Render whole, then write the file in one go: private, renamed
        // into place, never onto the ledger. Colour is for terminals only.
        let mut buf = Vec::new();
        report(ctx, ledger, ReportArgs { output: None, ..a }, &mut buf)?;
        let bytes = anstream::adapter::strip_bytes(&buf).into_vec();
        return crate::ledger::files::write_output(&ctx.env.db, &path, &bytes);
    }
    let home = ctx.settings.zone;
    let week = Week::parse(a.week.as_deref(), ctx.now, home).map_err(Error::usage)?;
    let format = match (a.format, ctx.env.json) {
        (Some(f), _) => f,
        (None, true) => ReportFormat::Json,
        (None, false) => ReportFormat::Table,
    };
    if a.weeks == 0 || a.weeks > 520 {
        return Err(Error::usage(format!("--weeks {} is out of range", a.weeks)).hint("use 1 to 520 weeks"));
    }
    if format == ReportFormat::Html {
        return super::page::report_html(ctx, ledger, &a, &week, out);
    }
    if a.weeks != 1 {
        return Err(Error::usage("--weeks is for the page that spans several weeks: --format html")
            .hint("troth report --format html --weeks 4 -o weeks.html"));
    }
    let agreements = ledger.agreements()?;
    check_person(&agreements, a.by.as_deref())?;
    let horizon = (ctx.now + Duration::days(8)).max(week.end);
    // The week and what is open now: each promise's earlier history folds
    // into its trust at the week's start as it is read.
    let keep = Keep::from(week.start.min(ctx.now));
    let book = super::book(ctx, ledger, &agreements, (time::Instant::MIN_UTC, horizon), &keep)?;
    let s = report::summary(&book, &week, &ctx.settings.trust, a.by.as_deref());
    let (over, people_over, upcoming) = as_of_now(ctx, &book, a.by.as_deref());
    let by_id = report::index(&book);
    let week_entries = ledger.entries_between(week.start, week.end)?;
    let entry_by_id: HashMap<i64, &crate::domain::Entry> = week_entries.iter().map(|e| (e.id, e)).collect();
    // "To talk about" (§10).
    let analyses: HashMap<i64, &crate::domain::trust::Analysis> =
        book.items.iter().map(|i| (i.agreement.id, &i.analysis)).collect();
    // Only entries with a verdict, a repair or a late excuse can be talked
    // about: read those, not ten years of entries.
    let late: Vec<i64> = analyses.values().flat_map(|an| an.late_excuses.iter().copied()).collect();
    let all_entries = ledger.entries_spoken_of(&late)?;
    let talk = crate::domain::talk::talk(&agreements, &all_entries, &analyses, week.start, week.end, a.by.as_deref());
    let uuids = crate::render::json::entry_uuids(&all_entries);
    match format {
        ReportFormat::Json => {
            let v = json!({
                "week": s.week.label,
                "start": rfc3339(s.week.start, home),
                "end": rfc3339(s.week.end, home),
                "agreements": s.rows.iter().map(|r| {
                    let ag = by_id[&r.agreement_id];
                    json!({"slug": ag.slug, "by": ag.by, "to": ag.to, "promised": r.promised, "kept": r.kept,
                           "broken": r.broken, "excused": r.excused, "missed": r.missed, "extra": r.extra, "late": r.late,
                           "open": r.open.map(|(k, p, d)| json!({"kept": k, "promised": p, "due": rfc3339(d, ag.zone)})),
                           "trust": round4(r.trust), "trust_change": round4(r.trust_change), "rate": r.rate.map(round4)})
                }).collect::<Vec<_>>(),
                "people": s.people.iter().map(|(name, t)| {
                    let mut v = trust_json(t);
                    v.as_object_mut().expect("object").insert("name".into(), json!(name));
                    let mut ordered = serde_json::Map::new();
                    ordered.insert("name".into(), json!(name));
                    for (k, val) in v.as_object().expect("object") { if k != "name" { ordered.insert(k.clone(), val.clone()); } }
                    Value::Object(ordered)
                }).collect::<Vec<_>>(),
                "overall": trust_json(&s.overall),
                "entries": s.entries.iter().filter_map(|id| entry_by_id.get(id)).map(|e| {
                    let ag = by_id[&e.agreement_id];
                    entry_json(e, ag, book.get(ag.id).map(|i| &i.analysis))
                }).collect::<Vec<_>>(),
                "overpromising": over_json(&over, &people_over, &by_id),
                "upcoming": due_json(&upcoming, &by_id),
                "talk": talk.iter().map(|t| crate::render::json::talk_json(t, &analyses, &uuids)).collect::<Vec<_>>(),
            });
            write_json(out, &v)
        }
        ReportFormat::Csv => report_csv(&s, &by_id, &talk, ctx.now, out),
        ReportFormat::Table => {
            report_table(&page(ctx, &s, &book, &over, &upcoming, &by_id, &entry_by_id), out)?;
            crate::render::voice::write_talk(out, &talk, false, ctx.now)
        }
        ReportFormat::Markdown => {
            report_markdown(&page(ctx, &s, &book, &over, &upcoming, &by_id, &entry_by_id), out)?;
            crate::render::voice::write_talk(out, &talk, true, ctx.now)
        }
        ReportFormat::Html => unreachable!("the page is made above"),
    }
}

/// What the report shows as of now, not as of its week: the over-promising
/// list and what falls due in the next 7 days.
pub(super) fn as_of_now(ctx: &Ctx, book: &Book, by: Option<&str>) -> (Vec<Over>, Vec<OverPerson>, Vec<Due>) {
    let (over, people_over) = report::overpromising(book, ctx.now, 8, ctx.settings.threshold, by);
    let upcoming_until = time::Span::days(7).after(ctx.settings.zone, ctx.now);
    let upcoming: Vec<Due> = report::due(book, ctx.now, upcoming_until)
        .into_iter()
        .filter(|d| by.is_none_or(|b| book.get(d.agreement_id).is_some_and(|i| i.agreement.by == b)))
        .collect();
    (over, people_over, upcoming)
}

fn report_csv(
    s: &Summary,
    by_id: &HashMap<i64, &Agreement>,
    talk: &[crate::domain::talk::Talk],
    now: crate::domain::time::Instant,
    out: &mut dyn Write,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header = [
        "week",
        "promise",
        "by",
        "to",
        "promised",
        "kept",
        "broken",
        "excused",
        "missed",
        "extra",
        "late",
        "open_kept",
        "open_promised",
        "open_due",
        "trust",
        "trust_change",
        "rate",
        "talk",
    ];
    w.write_record(header).map_err(csv_err)?;
    let f = |x: f64| format!("{:.4}", round4(x));
    for r in &s.rows {
        let a = by_id[&r.agreement_id];
        let (ok, op, od) = match r.open {
            Some((k, p, d)) => (k.to_string(), p.to_string(), rfc3339(d, a.zone)),
            None => (String::new(), String::new(), String::new()),
        };
        w.write_record([
            s.week.label.clone(),
            a.slug.clone(),
            a.by.clone(),
            a.to.clone(),
            r.promised.to_string(),
            r.kept.to_string(),
            r.broken.to_string(),
            r.excused.to_string(),
            r.missed.to_string(),
            r.extra.to_string(),
            r.late.to_string(),
            ok,
            op,
            od,
            f(r.trust),
            f(r.trust_change),
            r.rate.map(f).unwrap_or_default(),
            String::new(),
        ])
        .map_err(csv_err)?;
    }
    for (name, t) in
        s.people.iter().map(|(n, t)| (format!("person:{n}"), t)).chain([("overall".to_string(), &s.overall)])
    {
        let mut rec = vec![s.week.label.clone(), name];
        rec.extend(std::iter::repeat_n(String::new(), 12));
        rec.extend([f(t.trust), f(t.trust_change), t.rate.map(f).unwrap_or_default(), String::new()]);
        w.write_record(rec).map_err(csv_err)?;
    }
    // "To talk about": one row each, the words in the last column.
    for t in talk {
        let mut rec =
            vec![s.week.label.clone(), t.agreement.slug.clone(), t.agreement.by.clone(), t.agreement.to.clone()];
        rec.extend(std::iter::repeat_n(String::new(), 13));
        rec.push(format!("{}: {}", t.kind, crate::render::voice::talk_words(t, now)));
        w.write_record(rec).map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}

/// The columns of the weekly table, in text and Markdown alike.
const HEADERS: [&str; 8] = ["promise", "by", "promised", "kept", "broken", "excused", "missed", "trust"];

/// The report as the table and Markdown screens show it, computed once:
/// the title, a row per agreement, and the notes under the table.
struct Page<'a> {
    ctx: &'a Ctx<'a>,
    s: &'a Summary,
    /// Only the agreements judged over-promised.
    over: Vec<&'a Over>,
    upcoming: &'a [Due],
    by_id: &'a HashMap<i64, &'a Agreement>,
    entry_by_id: &'a HashMap<i64, &'a crate::domain::Entry>,
    title: String,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

fn page<'a>(
    ctx: &'a Ctx<'a>,
    s: &'a Summary,
    book: &Book,
    over: &'a [Over],
    upcoming: &'a [Due],
    by_id: &'a HashMap<i64, &'a Agreement>,
    entry_by_id: &'a HashMap<i64, &'a crate::domain::Entry>,
) -> Page<'a> {
    let last_day = s.week.monday + chrono::Days::new(6);
    let span = format!("{}–{}", s.week.monday.format("%-d %b"), last_day.format("%-d %b %Y"));
    let names: Vec<&str> = s.people.iter().map(|(n, _)| n.as_str()).collect();
    let week_no = s.week.label.split("-W").nth(1).unwrap_or("").trim_start_matches('0');
    let title = format!(
        "Week {week_no} · {span}{}",
        if names.is_empty() { String::new() } else { format!(" · {}", names.join(" & ")) }
    );
    let mut notes: Vec<String> = Vec::new();
    let rows: Vec<Vec<String>> = s
        .rows
        .iter()
        .map(|r| {
            let a = by_id[&r.agreement_id];
            if let Some((k, p, d)) = r.open.filter(|(k, p, _)| k < p) {
                notes.push(format!("{}: {k} of {p} so far, due {}", a.slug, words::due(d, a.zone, ctx.now)));
            } else if r.open.is_none() && !r.standing && r.promised == 0 {
                // A quota whose period runs past the week ("2 weekends a
                // month") has nothing due in it; say how its period stands.
                if let Some(p) = period_progress(book, a, &s.week, ctx.now) {
                    notes.push(format!("{}: {p}", a.slug));
                }
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
    let over = over.iter().filter(|o| o.judgement.overpromised).collect();
    Page { ctx, s, over, upcoming, by_id, entry_by_id, title, rows, notes }
}

/// "1 of 2 this month": the quota slot running at the week's end (or the
/// last one that overlaps the week), as known now.
fn period_progress(book: &Book, a: &Agreement, week: &Week, now: time::Instant) -> Option<String> {
    let item = book.get(a.id)?;
    let t = item
        .analysis
        .slots
        .iter()
        .rev()
        .find(|t| t.slot.start < week.end && t.slot.end > week.start && t.promised > 0)?;
    let crate::domain::terms::Terms::Quota { period, .. } = t.slot.terms else { return None };
    let first = words::first_day(t.slot.start, a.zone);
    Some(words::progress(t.kept.min(t.promised), t.promised, period, first, a.zone, now))
}

fn report_markdown(p: &Page, out: &mut dyn Write) -> Result<()> {
    let Page { ctx, s, over, upcoming, by_id, entry_by_id, title, rows, notes } = p;
    writeln!(out, "## {title}\n")?;
    if rows.is_empty() {
        writeln!(out, "Nothing was due and nothing was logged this week.\n")?;
    } else {
        writeln!(out, "| {} |", HEADERS.join(" | "))?;
        writeln!(out, "|{}", "---|".repeat(HEADERS.len()))?;
        for r in rows.iter() {
            let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
        writeln!(out)?;
        for n in notes.iter() {
            writeln!(out, "- {n}")?;
        }
        if !notes.is_empty() {
            writeln!(out)?;
        }
    }
    writeln!(out, "### Trust\n")?;
    for (name, t) in &s.people {
        writeln!(
            out,
            "- **{name}**: trust {} {} · follow-through {}",
            trust2(t.trust),
            change(t.trust_change),
            percent(t.rate)
        )?;
    }
    writeln!(
        out,
        "- **Together**: trust {} {} · follow-through {}\n",
        trust2(s.overall.trust),
        change(s.overall.trust_change),
        percent(s.overall.rate)
    )?;
    writeln!(out, "_{}_\n", crate::render::words::trust_legend(ctx.settings.trust.start))?;
    if !s.entries.is_empty() {
        writeln!(out, "### What happened\n")?;
        for id in &s.entries {
            if let Some(e) = entry_by_id.get(id) {
                let a = by_id[&e.agreement_id];
                let note = e.note.as_deref().map(|n| format!(" — {}", n.replace('\n', " "))).unwrap_or_default();
                writeln!(out, "- {} · {} · {}{note}", human_datetime(e.at, a.zone, ctx.now), a.slug, e.outcome.name())?;
            }
        }
        writeln!(out)?;
    }
    if !over.is_empty() {
        writeln!(out, "### Promises to renegotiate\n")?;
        for o in over.iter() {
            writeln!(out, "- {}", over_sentence(by_id[&o.agreement_id], &o.judgement))?;
        }
        writeln!(out)?;
    }
    if !upcoming.is_empty() {
        writeln!(out, "### Coming up\n")?;
        for d in upcoming.iter() {
            let a = by_id[&d.agreement_id];
            writeln!(out, "- {} — {}", a.slug, due_words(d, a, ctx.now))?;
        }
    }
    Ok(())
}

fn report_table(p: &Page, out: &mut dyn Write) -> Result<()> {
    let Page { ctx, s, over, upcoming, by_id, title, rows, notes, .. } = p;
    writeln!(out, "{}\n", paint(render::BOLD, title))?;
    if rows.is_empty() {
        writeln!(out, "  Nothing was due and nothing was logged this week.")?;
    } else {
        writeln!(out, "{}", render::table(&HEADERS, rows))?;
        for n in notes.iter() {
            writeln!(out, "  {n}")?;
        }
    }
    writeln!(out)?;
    for (name, t) in &s.people {
        writeln!(
            out,
            "  {name:<10} trust {} {} · follow-through {}",
            trust2(t.trust),
            change(t.trust_change),
            percent(t.rate)
        )?;
    }
    if s.people.len() > 1 {
        writeln!(
            out,
            "  {:<10} trust {} {} · follow-through {}",
            "together",
            trust2(s.overall.trust),
            change(s.overall.trust_change),
            percent(s.overall.rate)
        )?;
    }
    writeln!(out, "  {}", paint(render::DIM, &crate::render::words::trust_legend(ctx.settings.trust.start)))?;
    if !over.is_empty() {
        writeln!(out)?;
        for o in over.iter() {
            writeln!(out, "  Over-promising: {}", over_sentence(by_id[&o.agreement_id], &o.judgement))?;
        }
    }
    if !upcoming.is_empty() {
        let parts: Vec<String> = upcoming
            .iter()
            .take(6)
            .map(|d| {
                let a = by_id[&d.agreement_id];
                format!("{} {}", a.slug, due_words(d, a, ctx.now))
            })
            .collect();
        writeln!(out, "\n  Coming up: {}", parts.join(" · "))?;
    }
    Ok(())
}

// ---------- trend ----------

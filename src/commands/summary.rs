//! Reading the record: report, trend, overpromising, due — and review, which
//! asks about what no one wrote down.

use super::{Book, Ctx, entry_json, find, period_phrase, round4, unit_word, write_json};
use crate::cli::{DueArgs, OverpromisingArgs, ReportArgs, ReportFormat, TrendArgs};
use crate::domain::report::{self, Due, Over, OverPerson, Summary, Week};
use crate::domain::terms::{Period, Terms};
use crate::domain::time::{self, Instant, human_date, human_datetime, rfc3339};
use crate::domain::trust::Judgement;
use crate::domain::{Agreement, Outcome};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, new_uuid};
use crate::render::{self, change, count, paint, percent, sparkline, trust2};
use chrono::Duration;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, Write};

fn load(ledger: &Ledger) -> Result<(Vec<Agreement>, Vec<crate::domain::Fact>)> {
    Ok((ledger.agreements()?, ledger.facts(None)?))
}

fn check_person(agreements: &[Agreement], by: Option<&str>) -> Result<()> {
    if let Some(b) = by
        && !agreements.iter().any(|a| a.by == b)
    {
        let mut names: Vec<&str> = agreements.iter().map(|a| a.by.as_str()).collect();
        names.sort();
        names.dedup();
        return Err(Error::usage(format!("no promises are by \"{}\"", time::printable(b))).hint(if names.is_empty() {
            "no promises yet".to_string()
        } else {
            format!("promises are by: {}", names.join(", "))
        }));
    }
    Ok(())
}

// ---------- over-promising ----------

fn over_json(list: &[Over], people: &[OverPerson], by_id: &HashMap<i64, &Agreement>) -> Value {
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
fn per_words(t: &Terms) -> String {
    match t.per_period() {
        Some((n, p)) => format!("{n} a {}", p.name()),
        None => t.to_string(),
    }
}

fn over_sentence(a: &Agreement, j: &Judgement) -> String {
    let delivered: Vec<String> = j.per_slot.iter().map(|d| d.to_string()).collect();
    let mut s = format!(
        "{}: {} promised {} and delivered {} ({})",
        a.slug,
        a.by,
        per_words(&j.terms),
        delivered.join(", "),
        percent(j.rate)
    );
    match (&j.suggested, j.overpromised) {
        (Some(t), true) => s.push_str(&format!(" — promise {} and keep it.", per_words(t))),
        (None, true) => s.push_str(" — nothing was delivered lately; talk about what could really be promised."),
        _ => s.push_str(" — within what the record supports."),
    }
    s
}

pub fn overpromising(ctx: &Ctx, ledger: &Ledger, a: OverpromisingArgs, out: &mut dyn Write) -> Result<()> {
    if a.slots < 3 {
        return Err(Error::usage(format!("--slots {} is too few to judge; at least 3 are needed", a.slots)));
    }
    let (agreements, entries) = load(ledger)?;
    check_person(&agreements, a.by.as_deref())?;
    let book = Book::new(&agreements, entries, ctx.now, ctx.now);
    let (list, people) =
        report::overpromising(&book, ctx.now, a.slots as usize, ctx.settings.threshold, a.by.as_deref());
    let by_id = report::index(&book);
    if ctx.env.json {
        return write_json(out, &over_json(&list, &people, &by_id));
    }
    if list.is_empty() {
        writeln!(out, "Nothing to judge yet: a promise needs 3 closed slots under its current terms.")?;
        return Ok(());
    }
    let over: Vec<&Over> = list.iter().filter(|o| o.judgement.overpromised).collect();
    if over.is_empty() {
        writeln!(out, "No promise is more than its record supports. Keep going.")?;
    }
    for o in &over {
        writeln!(out, "{}", over_sentence(by_id[&o.agreement_id], &o.judgement))?;
    }
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|o| {
            let a = by_id[&o.agreement_id];
            let j = &o.judgement;
            vec![
                a.slug.clone(),
                a.by.clone(),
                j.terms.to_string(),
                j.slots.to_string(),
                format!("{} of {}", j.delivered, j.promised),
                percent(j.rate),
                j.suggested.map(|t| t.to_string()).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    writeln!(out)?;
    writeln!(out, "{}", render::table(&["promise", "by", "terms", "slots", "delivered", "rate", "suggested"], &rows))?;
    for p in &people {
        writeln!(
            out,
            "{}: promised {}, delivered {} ({}){}",
            p.name,
            p.promised,
            p.delivered,
            percent(p.rate),
            if p.overpromised {
                " — more promised than delivered; fewer, kept promises build trust faster"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}

// ---------- due ----------

fn due_json(items: &[Due], by_id: &HashMap<i64, &Agreement>) -> Value {
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

/// "1 of 2 weekends left, the month ends Monday".
pub fn due_words(d: &Due, a: &Agreement, now: Instant) -> String {
    let unit = a.plan.version_at(d.start).1.unit;
    let overdue = d.due <= now;
    match d.terms {
        Terms::Quota { period, .. } => {
            let ends = match period {
                Period::Day => "the day ends".to_string(),
                p => format!("the {} ends {}", p.name(), relative_day(d.due, a, now)),
            };
            let left = format!("{} of {} {} left", d.remaining, d.promised, unit_word(unit.as_deref(), d.promised));
            if d.start > now {
                format!("{} promised {}", d.promised, period_phrase(period).replace("this", "next"))
            } else {
                format!("{left}, {ends}")
            }
        }
        _ if overdue => format!("overdue since {}", human_datetime(d.due, a.zone, now)),
        _ => format!("due {}", human_datetime(d.due, a.zone, now)),
    }
}

/// "today", "tomorrow", "Monday", or a date.
fn relative_day(t: Instant, a: &Agreement, now: Instant) -> String {
    // An end at midnight is the end of the day before.
    let t = t - Duration::seconds(1);
    let days = (time::local_date(a.zone, t) - time::local_date(a.zone, now)).num_days();
    match days {
        0 => "tonight".into(),
        1 => "tomorrow night".into(),
        2..=6 => format!("{} night", t.with_timezone(&a.zone).format("%A")),
        _ => format!("on {}", human_date(t, a.zone, now)),
    }
}

pub fn due(ctx: &Ctx, ledger: &Ledger, a: DueArgs, out: &mut dyn Write) -> Result<()> {
    let within = time::parse_duration(&a.within)
        .map_err(|e| Error::usage(format!("--within: {e}")).hint(time::DURATION_HINT))?;
    let until = within.after(ctx.settings.zone, ctx.now);
    // What is open now began at most a year ago: no need to read further back.
    let agreements = ledger.agreements()?;
    let from = report::open_window(&agreements, ctx.now);
    let facts = ledger.facts_since(from)?;
    let book = Book::window(&agreements, facts, ctx.now, from, until);
    let items = report::due(&book, ctx.now, until);
    let by_id = report::index(&book);
    if ctx.env.json {
        return write_json(out, &due_json(&items, &by_id));
    }
    if items.is_empty() {
        writeln!(out, "Nothing due within {within}.")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|d| {
            let a = by_id[&d.agreement_id];
            vec![human_datetime(d.due, a.zone, ctx.now), a.slug.clone(), a.by.clone(), due_words(d, a, ctx.now)]
        })
        .collect();
    writeln!(out, "{}", render::table(&["due", "promise", "by", ""], &rows))?;
    Ok(())
}

// ---------- report ----------

fn trust_json(t: &report::Trust) -> Value {
    json!({"trust": round4(t.trust), "trust_change": round4(t.trust_change), "rate": t.rate.map(round4)})
}

pub fn report(ctx: &Ctx, ledger: &Ledger, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    let home = ctx.settings.zone;
    let week = Week::parse(a.week.as_deref(), ctx.now, home).map_err(Error::usage)?;
    let format = match (a.format, ctx.env.json) {
        (Some(f), _) => f,
        (None, true) => ReportFormat::Json,
        (None, false) => ReportFormat::Table,
    };
    let (agreements, entries) = load(ledger)?;
    check_person(&agreements, a.by.as_deref())?;
    let horizon = (ctx.now + Duration::days(8)).max(week.end);
    let book = Book::new(&agreements, entries, ctx.now, horizon);
    let s = report::summary(&book, &week, &ctx.settings.trust, a.by.as_deref());
    let (over, people_over) = report::overpromising(&book, ctx.now, 8, ctx.settings.threshold, a.by.as_deref());
    let upcoming_until = time::Span::days(7).after(home, ctx.now);
    let upcoming: Vec<Due> = report::due(&book, ctx.now, upcoming_until)
        .into_iter()
        .filter(|d| a.by.as_deref().is_none_or(|b| book.get(d.agreement_id).is_some_and(|i| i.agreement.by == b)))
        .collect();
    let by_id = report::index(&book);
    let week_entries = ledger.entries_between(week.start, week.end)?;
    let entry_by_id: HashMap<i64, &crate::domain::Entry> = week_entries.iter().map(|e| (e.id, e)).collect();
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
            });
            write_json(out, &v)
        }
        ReportFormat::Csv => report_csv(&s, &by_id, out),
        ReportFormat::Table => report_text(ctx, &s, &over, &upcoming, &by_id, &entry_by_id, false, out),
        ReportFormat::Markdown => report_text(ctx, &s, &over, &upcoming, &by_id, &entry_by_id, true, out),
    }
}

fn report_csv(s: &Summary, by_id: &HashMap<i64, &Agreement>, out: &mut dyn Write) -> Result<()> {
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
        ])
        .map_err(csv_err)?;
    }
    for (name, t) in
        s.people.iter().map(|(n, t)| (format!("person:{n}"), t)).chain([("overall".to_string(), &s.overall)])
    {
        let mut rec = vec![s.week.label.clone(), name];
        rec.extend(std::iter::repeat_n(String::new(), 12));
        rec.extend([f(t.trust), f(t.trust_change), t.rate.map(f).unwrap_or_default()]);
        w.write_record(rec).map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}

pub fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::from(io),
        other => Error::failure(format!("could not write CSV: {other:?}")),
    }
}

#[allow(clippy::too_many_arguments)]
fn report_text(
    ctx: &Ctx,
    s: &Summary,
    over: &[Over],
    upcoming: &[Due],
    by_id: &HashMap<i64, &Agreement>,
    entry_by_id: &HashMap<i64, &crate::domain::Entry>,
    markdown: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let last_day = s.week.monday + chrono::Days::new(6);
    let span = format!("{}–{}", s.week.monday.format("%-d %b"), last_day.format("%-d %b %Y"));
    let names: Vec<&str> = s.people.iter().map(|(n, _)| n.as_str()).collect();
    let week_no = s.week.label.split("-W").nth(1).unwrap_or("").trim_start_matches('0');
    let title = format!(
        "Week {week_no} · {span}{}",
        if names.is_empty() { String::new() } else { format!(" · {}", names.join(" & ")) }
    );
    let headers = ["promise", "by", "promised", "kept", "broken", "excused", "missed", "trust"];
    let mut notes: Vec<String> = Vec::new();
    let rows: Vec<Vec<String>> = s
        .rows
        .iter()
        .map(|r| {
            let a = by_id[&r.agreement_id];
            if let Some((k, p, d)) = r.open.filter(|(k, p, _)| k < p) {
                notes.push(format!("{}: {k} of {p} so far, due {}", a.slug, human_datetime(d, a.zone, ctx.now)));
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
    if markdown {
        writeln!(out, "## {title}\n")?;
        if rows.is_empty() {
            writeln!(out, "Nothing was due and nothing was logged this week.\n")?;
        } else {
            writeln!(out, "| {} |", headers.join(" | "))?;
            writeln!(out, "|{}", "---|".repeat(headers.len()))?;
            for r in &rows {
                let cells: Vec<String> = r.iter().map(|c| c.replace('|', "\\|")).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
            writeln!(out)?;
            for n in &notes {
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
        if !s.entries.is_empty() {
            writeln!(out, "### What happened\n")?;
            for id in &s.entries {
                if let Some(e) = entry_by_id.get(id) {
                    let a = by_id[&e.agreement_id];
                    let note = e.note.as_deref().map(|n| format!(" — {}", n.replace('\n', " "))).unwrap_or_default();
                    writeln!(
                        out,
                        "- {} · {} · {}{note}",
                        human_datetime(e.at, a.zone, ctx.now),
                        a.slug,
                        e.outcome.name()
                    )?;
                }
            }
            writeln!(out)?;
        }
        let over: Vec<&Over> = over.iter().filter(|o| o.judgement.overpromised).collect();
        if !over.is_empty() {
            writeln!(out, "### Promises to renegotiate\n")?;
            for o in over {
                writeln!(out, "- {}", over_sentence(by_id[&o.agreement_id], &o.judgement))?;
            }
            writeln!(out)?;
        }
        if !upcoming.is_empty() {
            writeln!(out, "### Coming up\n")?;
            for d in upcoming {
                let a = by_id[&d.agreement_id];
                writeln!(out, "- {} — {}", a.slug, due_words(d, a, ctx.now))?;
            }
        }
        return Ok(());
    }
    writeln!(out, "{}\n", paint(render::BOLD, &title))?;
    if rows.is_empty() {
        writeln!(out, "  Nothing was due and nothing was logged this week.")?;
    } else {
        writeln!(out, "{}", render::table(&headers, &rows))?;
        for n in &notes {
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
    let overs: Vec<&Over> = over.iter().filter(|o| o.judgement.overpromised).collect();
    if !overs.is_empty() {
        writeln!(out)?;
        for o in overs {
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

pub fn trend(ctx: &Ctx, ledger: &Ledger, a: TrendArgs, out: &mut dyn Write) -> Result<()> {
    if a.weeks == 0 || a.weeks > 520 {
        return Err(Error::usage(format!("--weeks {} is out of range", a.weeks)).hint("use 1 to 520 weeks"));
    }
    let (agreements, entries) = load(ledger)?;
    check_person(&agreements, a.by.as_deref())?;
    let book = Book::new(&agreements, entries, ctx.now, ctx.now);
    let (subject, items): (String, Vec<&report::Item>) = match (&a.agreement, &a.by) {
        (Some(arg), _) => {
            let x = find(&agreements, arg, ctx.now)?;
            (x.slug.clone(), book.items.iter().filter(|i| i.agreement.id == x.id).collect())
        }
        (None, Some(by)) => (by.clone(), book.items.iter().filter(|i| &i.agreement.by == by).collect()),
        (None, None) => ("overall".into(), book.items.iter().collect()),
    };
    let p = &ctx.settings.trust;
    let points = report::trend(&items, p, ctx.now, ctx.settings.zone, a.weeks);
    if let Some(path) = &a.svg {
        crate::commands::misc::trend_svg(path, &subject, &points, p.start)?;
    }
    if ctx.env.json {
        let weeks: Vec<Value> = points
            .iter()
            .map(|(w, g)| json!({"week": w.label, "trust": round4(g.map(|g| g.trust).unwrap_or(p.start)), "rate": g.and_then(|g| g.rate).map(round4), "end": rfc3339(w.end, ctx.settings.zone)}))
            .collect();
        return write_json(out, &json!({"subject": subject, "weeks": weeks}));
    }
    let values: Vec<Option<f64>> = points.iter().map(|(_, g)| g.map(|g| g.trust)).collect();
    let first = points.first().map(|(w, _)| w.label.split("-W").nth(1).unwrap_or("").to_string()).unwrap_or_default();
    let last = points.last().map(|(w, _)| w.label.split("-W").nth(1).unwrap_or("").to_string()).unwrap_or_default();
    let v0 = values.iter().flatten().next().copied().unwrap_or(p.start);
    let v1 = values.last().copied().flatten().unwrap_or(p.start);
    let label = if subject == "overall" { "overall trust".to_string() } else { format!("{subject} trust") };
    writeln!(out, "{label}, weeks {first}–{last}:  {}  {} → {}", sparkline(&values), trust2(v0), trust2(v1))?;
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|(w, g)| {
            vec![
                w.label.clone(),
                format!("{}–{}", w.monday.format("%-d %b"), (w.monday + chrono::Days::new(6)).format("%-d %b")),
                g.map(|g| format!("{:.4}", g.trust)).unwrap_or_else(|| "—".into()),
                percent(g.and_then(|g| g.rate)),
            ]
        })
        .collect();
    writeln!(out, "\n{}", render::table(&["week", "days", "trust", "follow-through"], &rows))?;
    if let Some(path) = &a.svg {
        writeln!(out, "chart written to {}", path.display())?;
    }
    Ok(())
}

// ---------- review ----------

pub fn review(ctx: &Ctx, ledger: &mut Ledger, out: &mut dyn Write) -> Result<()> {
    if !ctx.env.interactive {
        return Err(Error::usage("review asks questions, and stdin is not a terminal").hint(
            "run `troth review` in a terminal, or log each slot with `troth kept`, `troth broke` or `troth excuse`",
        ));
    }
    let (agreements, entries) = load(ledger)?;
    let book = Book::new(&agreements, entries, ctx.now, ctx.now);
    let mut pending: Vec<(&Agreement, &crate::domain::trust::SlotTally)> = book
        .items
        .iter()
        .filter(|i| !i.agreement.retired_at(ctx.now))
        .flat_map(|i| {
            i.analysis.slots.iter().filter(|s| s.slot.due <= ctx.now && s.remaining > 0).map(move |s| (i.agreement, s))
        })
        .collect();
    pending.sort_by_key(|(_, s)| s.slot.due);
    if pending.is_empty() {
        writeln!(out, "Everything past due is logged. Nothing to review.")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} slots are past due with nothing logged for them. For each: kept, broken, excused, or skip? (q to stop)",
        pending.len()
    )?;
    out.flush()?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut logged = 0;
    for (a, s) in pending {
        for _ in 0..s.remaining {
            write!(
                out,
                "{} — due {} ({} of {} kept) [k/b/e/s/q] ",
                a.slug,
                human_datetime(s.slot.due, a.zone, ctx.now),
                s.kept.min(s.promised),
                s.promised
            )?;
            out.flush()?;
            let Some(line) = lines.next() else {
                return Ok(());
            };
            let outcome = match line?.trim().to_ascii_lowercase().as_str() {
                "k" | "kept" => Outcome::Kept,
                "b" | "broken" | "broke" => Outcome::Broken,
                "e" | "excused" | "excuse" => Outcome::Excused,
                "q" | "quit" => {
                    writeln!(out, "{logged} logged.")?;
                    return Ok(());
                }
                _ => break,
            };
            // Log it inside the slot: at its due time, or just before its end.
            let at = s.slot.due.min(s.slot.end - Duration::seconds(1)).min(ctx.now).max(a.starts);
            let tx = ledger.write()?;
            tx.add_entry(
                &new_uuid(),
                a.id,
                outcome,
                at,
                Some("logged in review"),
                &ctx.settings.default_by(),
                ctx.now,
            )?;
            tx.commit()?;
            logged += 1;
        }
    }
    writeln!(out, "{logged} logged.")?;
    Ok(())
}

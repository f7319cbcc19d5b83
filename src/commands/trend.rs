//! `troth trend`: trust week by week, as a sparkline, JSON or an SVG chart.

use super::check_person;
use super::{Ctx, book, find};
use crate::cli::TrendArgs;
use crate::domain::fold::Keep;
use crate::domain::report;
use crate::domain::time::Instant;
use crate::domain::time::rfc3339;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::json::{round4, write_json};
use crate::render::{self, percent, sparkline, trust2};
use serde_json::{Value, json};
use std::io::Write;

pub fn trend(ctx: &Ctx, ledger: &Ledger, a: TrendArgs, out: &mut dyn Write) -> Result<()> {
    if a.weeks == 0 || a.weeks > 520 {
        return Err(Error::usage(format!("--weeks {} is out of range", a.weeks)).hint("use 1 to 520 weeks"));
    }
    let agreements = ledger.agreements()?;
    check_person(&agreements, a.by.as_deref())?;
    // Trust is asked at the end of each of the weeks shown: earlier events
    // fold into one score as each promise is read.
    let earliest = report::Week::containing(ctx.now, ctx.settings.zone).start - chrono::Duration::weeks(a.weeks.into());
    let keep = Keep { trust_from: earliest.min(ctx.now), judged: 1, ..Keep::from(ctx.now) };
    let book = book(ctx, ledger, &agreements, (Instant::MIN_UTC, ctx.now), &keep)?;
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
        let chart = super::page::chart(ctx, &items, format!("{subject} trust"), &points);
        // `--svg -` is standard output, as `export -o -` is: the chart alone.
        if super::is_dash(path) {
            if ctx.env.json {
                return Err(Error::usage("--svg - and --json both want standard output")
                    .hint("write the chart to a file: --svg trend.svg"));
            }
            out.write_all(chart.document().as_bytes())?;
            return Ok(());
        }
        crate::ledger::files::write_output(&ctx.env.db, path, chart.document().as_bytes())?;
    }
    if ctx.env.json {
        let weeks: Vec<Value> = points
            .iter()
            .map(|(w, g)| json!({"week": w.label, "trust": round4(g.map(|g| g.trust).unwrap_or(p.start)), "rate": g.and_then(|g| g.rate).map(round4), "end": rfc3339(w.end, ctx.settings.zone)}))
            .collect();
        return write_json(out, &json!({"subject": subject, "weeks": weeks}));
    }
    let values: Vec<Option<f64>> = points.iter().map(|(_, g)| g.map(|g| g.trust)).collect();
    // "weeks 36–47" within a year; across a year's end each week keeps its
    // year ("weeks 2026-W49–2027-W01"), so week 1 is not read as before 49.
    let first = points.first().map(|(w, _)| w.label.clone()).unwrap_or_default();
    let last = points.last().map(|(w, _)| w.label.clone()).unwrap_or_default();
    let (first, last) = if first.get(..4) == last.get(..4) {
        let week = |l: &str| l.split("-W").nth(1).unwrap_or("").trim_start_matches('0').to_string();
        (week(&first), week(&last))
    } else {
        (first, last)
    };
    let v0 = values.iter().flatten().next().copied().unwrap_or(p.start);
    let v1 = values.last().copied().flatten().unwrap_or(p.start);
    let label = if subject == "overall" { "overall trust".to_string() } else { format!("{subject} trust") };
    // One week is "week 47", not "weeks 47–47".
    let span = if first == last { format!("week {first}") } else { format!("weeks {first}–{last}") };
    writeln!(out, "{label}, {span}:  {}  {} → {}", sparkline(&values), trust2(v0), trust2(v1))?;
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|(w, g)| {
            vec![
                w.label.clone(),
                format!("{}–{}", w.monday.format("%-d %b"), (w.monday + chrono::Days::new(6)).format("%-d %b")),
                g.map(|g| render::trust4(g.trust)).unwrap_or_else(|| "—".into()),
                percent(g.and_then(|g| g.rate)),
            ]
        })
        .collect();
    writeln!(out, "\n{}", render::table(&["week", "days", "trust", "follow-through"], &rows))?;
    if let Some(path) = &a.svg {
        writeln!(out, "chart written to {}", crate::domain::time::scrub(&path.display().to_string()))?;
    }
    Ok(())
}

// ---------- review ----------

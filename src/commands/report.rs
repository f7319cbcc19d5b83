//! `troth report`: the weekly summary to read together. Reads the week and
//! what is open now, builds the one model (`domain::weekly`) and renders it
//! as text, Markdown, CSV or JSON (`render::report`); HTML is `page`.

use super::Ctx;
use super::check_person;
use crate::cli::{ReportArgs, ReportFormat};
use crate::domain::fold::Keep;
use crate::domain::report::Week;
use crate::domain::time::{self};
use crate::domain::weekly;
use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::render::json::write_json;
use crate::render::{self};
use chrono::Duration;
use std::io::Write;

pub fn report(ctx: &Ctx, ledger: &Ledger, a: ReportArgs, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = a.output.clone().filter(|p| !super::is_dash(p)) {
        // Render whole, then write the file in one go: private, renamed
        // into place, never onto the ledger. Colour is for terminals only.
        let mut buf = Vec::new();
        report(ctx, ledger, ReportArgs { output: None, ..a }, &mut buf)?;
        let bytes = anstream::adapter::strip_bytes(&buf).into_vec();
        return crate::ledger::files::write_output(&ctx.env.db, &path, &bytes);
    }
    let home = ctx.settings.zone;
    let week = Week::parse(a.week.as_deref(), ctx.now, home)?;
    let format = match (a.format, ctx.env.json) {
        // --json promises JSON on stdout and nothing else (docs/cli.md), as
        // `export --json` gives JSON whatever its --format.
        (_, true) => ReportFormat::Json,
        (Some(f), false) => f,
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
    let week_entries = ledger.entries_between(week.start, week.end)?;
    // Only entries with a verdict, a repair or a late excuse can be talked
    // about (§10): read those, not ten years of entries.
    let late: Vec<i64> = book.items.iter().flat_map(|i| i.analysis.late_excuses.iter().copied()).collect();
    let spoken = ledger.entries_spoken_of(&late)?;
    let inputs = weekly::Inputs {
        week: &week,
        home,
        now: ctx.now,
        params: &ctx.settings.trust,
        threshold: ctx.settings.threshold,
        by: a.by.as_deref(),
        week_entries: &week_entries,
        agreements: &agreements,
        spoken: &spoken,
    };
    let model = weekly::build(&book, &inputs);
    match format {
        ReportFormat::Json => write_json(out, &render::report::report_json(&model)),
        ReportFormat::Csv => render::report::write_csv(&model, out),
        ReportFormat::Table => render::report::write_text(&model, out),
        ReportFormat::Markdown => render::report::write_markdown(&model, out),
        ReportFormat::Html => unreachable!("the page is made above"),
    }
}

//! `troth list`: every live promise with its status and trust.

use super::Ctx;
use crate::cli::ListArgs;
use crate::domain::Agreement;
use crate::domain::fold::Keep;
use crate::domain::slots::Status;
use crate::domain::time::Instant;
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render::json::{agreement_json, write_json};
use crate::render::{self, percent, trust2, words};
use serde_json::Value;
use std::io::Write;

pub fn list(ctx: &Ctx, ledger: &Ledger, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    // Trust now, and the last slots (whether a deadline is done).
    let keep = Keep { judged: 1, ..Keep::from(ctx.now) };
    let book = super::book(ctx, ledger, &agreements, (Instant::MIN_UTC, ctx.now), &keep)?;
    let shown: Vec<&Agreement> =
        agreements.iter().filter(|x| a.all || (!x.is_void() && !x.retired_at(ctx.now))).collect();
    if ctx.env.json {
        let arr: Vec<Value> = shown
            .iter()
            .map(|x| agreement_json(x, book.get(x.id).map(|i| &i.analysis), &ctx.settings, ctx.now))
            .collect();
        return write_json(out, &Value::Array(arr));
    }
    if shown.is_empty() {
        writeln!(out, "No promises yet.")?;
        writeln!(out, "Make one: troth promise \"date night every Friday\" --terms \"every fri 19:00\"")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = shown
        .iter()
        .map(|x| {
            let (_, v) = x.plan.version_at(ctx.now);
            let score = book.get(x.id).map(|i| i.analysis.score_at(&ctx.settings.trust, ctx.now));
            let done = crate::domain::standing::done(x, book.get(x.id).map(|i| &i.analysis), ctx.now);
            let status = match (x.is_void(), done) {
                (true, _) => "void".to_string(),
                (false, Some(how)) if x.plan.status_at(ctx.now) == Status::Active => format!("done: {how}"),
                _ => x.plan.status_at(ctx.now).name().to_string(),
            };
            let status = match crate::domain::standing::pending(x, ctx.now) {
                Some((t, s, from)) if !x.is_void() => {
                    let what = match (t, s) {
                        (Some(t), _) => t.to_string(),
                        (None, Some(s)) => s.name().to_string(),
                        _ => String::new(),
                    };
                    format!("{status} ({what} from {})", words::start(from, x.zone, ctx.now))
                }
                _ => status,
            };
            vec![
                x.id.to_string(),
                x.slug.clone(),
                format!("{} → {}", x.by, x.to),
                v.terms.to_string(),
                status,
                score.map(|s| trust2(s.trust)).unwrap_or_else(|| trust2(ctx.settings.trust.start)),
                percent(score.and_then(|s| s.rate())),
            ]
        })
        .collect();
    writeln!(out, "{}", render::table(&["#", "promise", "who", "terms", "status", "trust", "kept"], &rows))?;
    Ok(())
}

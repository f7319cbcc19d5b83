//! `troth list`: every live promise with its status and trust.
//!
//! Each promise's trust and follow-through come from its whole history; the
//! disposable cache (`crate::cache`, docs/design.md §7) keeps each promise's
//! score at a checkpoint, so a run folds only what came after it.

use super::Ctx;
use crate::cache::Cache;
use crate::cli::ListArgs;
use crate::domain::checkpoint::{self, Checkpoint};
use crate::domain::slots::Status;
use crate::domain::time::Instant;
use crate::domain::trust::{self, Score};
use crate::domain::{Agreement, Fact};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::render::json::{agreement_json_of, write_json};
use crate::render::{self, percent, trust2, words};
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;

/// What `list` shows of one promise's history.
#[derive(Clone, Copy)]
struct Figures {
    score: Score,
    done: Option<&'static str>,
}

pub fn list(ctx: &Ctx, ledger: &Ledger, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let (agreements, figures) = figures(ctx, ledger)?;
    let shown: Vec<&Agreement> =
        agreements.iter().filter(|x| a.all || (!x.is_void() && !x.retired_at(ctx.now))).collect();
    let of = |x: &Agreement| figures.get(&x.id).copied();
    let start = Score::new(&ctx.settings.trust);
    if ctx.env.json {
        let arr: Vec<Value> = shown
            .iter()
            .map(|x| {
                let f = of(x);
                agreement_json_of(x, f.map_or(start, |f| f.score), f.is_some_and(|f| f.done.is_some()), ctx.now)
            })
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
            let score = of(x).map(|f| f.score);
            let done = of(x).and_then(|f| f.done);
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

/// Every promise's figures at `now`, by id (none for a void promise): from
/// the cache's checkpoints where no fact has touched them, else from the
/// promise's whole history — and the cache brought up to date.
fn figures(ctx: &Ctx, ledger: &Ledger) -> Result<(Vec<Agreement>, HashMap<i64, Figures>)> {
    let (p, now) = (&ctx.settings.trust, ctx.now);
    let cache = Cache::open(ctx.env.cache_dir.as_deref(), ledger, p);
    // The watermarks before the facts: a fact added in between is then
    // newer than the saved marks and only touches its promise next time.
    let marks = if cache.is_some() { Some(ledger.marks()?) } else { None };
    let agreements = ledger.agreements()?;
    let loaded = cache.as_ref().and_then(|c| c.load(ledger));
    let mut figures = HashMap::new();
    let mut fresh: HashMap<i64, Checkpoint> = HashMap::new();
    let mut add = |a: &Agreement, score: Score, done: Option<&'static str>, c: Option<Checkpoint>| {
        figures.insert(a.id, Figures { score, done });
        if let Some(c) = c {
            fresh.insert(a.id, c);
        }
    };
    let Some(loaded) = loaded else {
        // Nothing saved: each promise's whole history, one promise at a
        // time (its facts from its index, dropped before the next is read).
        super::each_item(ctx, ledger, &agreements, (Instant::MIN_UTC, now), |item| {
            let (a, an) = (item.agreement, &item.analysis);
            let c = cache.as_ref().and_then(|_| checkpoint::cut(a, an, &item.entries, p, now));
            add(a, an.score_at(p, now), crate::domain::standing::done(a, Some(an), now), c);
        })?;
        if let (Some(cache), Some(marks)) = (cache, marks) {
            cache.save(marks, &fresh);
        }
        return Ok((agreements, figures));
    };
    let live: Vec<&Agreement> = agreements.iter().filter(|a| !a.is_void()).collect();
    let usable =
        |a: &Agreement| loaded.checkpoints.get(&a.id).filter(|c| c.at <= now && checkpoint::cuttable(a)).copied();
    let wanted: Vec<(i64, Instant)> =
        live.iter().map(|a| (a.id, usable(a).map_or(Instant::MIN_UTC, |c| c.at))).collect();
    let mut by_id: HashMap<i64, Vec<Fact>> = HashMap::new();
    for f in ledger.facts_since_each(&wanted)? {
        by_id.entry(f.agreement_id).or_default().push(f);
    }
    let mut dirty = loaded.stale;
    for a in live {
        let facts = by_id.remove(&a.id).unwrap_or_default();
        match usable(a) {
            Some(c) => {
                let window = checkpoint::window(a, &facts, c.at, now);
                add(a, checkpoint::resume(&c, &window, p, now), None, Some(c));
            }
            None => {
                let an = trust::analyze(a, &facts, now, now);
                let c = checkpoint::cut(a, &an, &facts, p, now);
                dirty |= c.is_some();
                add(a, trust::score_at(&an.events, p, now), crate::domain::standing::done(a, Some(&an), now), c);
            }
        }
    }
    dirty |= loaded.checkpoints.keys().any(|id| !fresh.contains_key(id));
    if let (Some(cache), Some(marks)) = (cache.filter(|_| dirty), marks) {
        cache.save(marks, &fresh);
    }
    Ok((agreements, figures))
}

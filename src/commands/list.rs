//! `troth list`: every live promise with its status and trust.
//!
//! Each promise's trust and follow-through come from its whole history; the
//! disposable cache (`crate::cache`, docs/design.md §7) keeps each promise's
//! score at a checkpoint, so a run folds only what came after it.

use super::Ctx;
use crate::cache::{Cache, Loaded};
use crate::cli::ListArgs;
use crate::domain::Agreement;
use crate::domain::checkpoint::{self, Checkpoint};
use crate::domain::settings::TrustParams;
use crate::domain::slots::Status;
use crate::domain::standing;
use crate::domain::time::Instant;
use crate::domain::trust::{self, Score};
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
    let (agreements, figures) = ledger.snapshot(|| figures(ctx, ledger))?;
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
            let now_status = x.plan.status_at(ctx.now);
            let ended = x.ends.filter(|e| *e <= ctx.now && now_status != Status::Retired);
            let status = match (x.is_void(), done, ended) {
                (true, _, _) => "void".to_string(),
                (false, Some(how), _) if now_status == Status::Active => format!("done: {how}"),
                // Past its `--ends`: nothing more is promised (JSON keeps
                // the contract's three statuses).
                (false, None, Some(e)) => format!("ended {}", words::due(e, x.zone, ctx.now)),
                _ => now_status.name().to_string(),
            };
            let status = match crate::domain::standing::pending(x, ctx.now) {
                Some((t, s, from)) if !x.is_void() => {
                    // Both at once (amended, and paused or retired from the
                    // same boundary) are both named, as `show` does.
                    let what = match (t, s) {
                        (Some(t), Some(s)) => format!("{t}, {}", s.name()),
                        (Some(t), None) => t.to_string(),
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
    // The watermarks before the facts (and all on one snapshot): a fact
    // added meanwhile is newer than the saved marks and is seen next time.
    let marks = if cache.is_some() { Some(ledger.marks()?) } else { None };
    let agreements = ledger.agreements()?;
    let live: Vec<&Agreement> = agreements.iter().filter(|a| !a.is_void()).collect();
    let loaded = cache.as_ref().and_then(|c| c.load(ledger)).map(|mut l| {
        l.checkpoints.retain(|id, c| c.at <= now && live.iter().any(|a| a.id == *id && checkpoint::cuttable(a)));
        l
    });
    // No usable file: every promise from its whole history, and cut afresh.
    let loaded = loaded.unwrap_or(Loaded { checkpoints: HashMap::new(), stale: true });
    let fold = resume_all(ledger, &live, loaded, p, now, cache.is_some())?;
    if let (Some(cache), Some(marks)) = (cache.filter(|_| fold.dirty), marks) {
        cache.save(marks, &fold.fresh);
    }
    Ok((agreements, fold.figures))
}

/// Figures, and the checkpoints to save.
#[derive(Default)]
struct Fold {
    figures: HashMap<i64, Figures>,
    fresh: HashMap<i64, Checkpoint>,
    /// The saved file no longer says what `fresh` does.
    dirty: bool,
}

impl Fold {
    fn add(&mut self, a: &Agreement, score: Score, done: Option<&'static str>, c: Option<Checkpoint>) {
        self.figures.insert(a.id, Figures { score, done });
        if let Some(c) = c {
            self.fresh.insert(a.id, c);
        }
    }
}

/// Each promise from its checkpoint, reading only the facts since; the
/// others (touched by a new fact, or never cut) from their whole history —
/// one promise at a time (its facts from its index, dropped before the next
/// is read), so the peak is one promise's history.
fn resume_all(
    ledger: &Ledger,
    live: &[&Agreement],
    loaded: Loaded,
    p: &TrustParams,
    now: Instant,
    cut: bool,
) -> Result<Fold> {
    let mut fold = Fold { dirty: loaded.stale, ..Fold::default() };
    let saved = &loaded.checkpoints;
    let few = ledger.few()?;
    for a in live {
        let from = saved.get(&a.id).map_or(Instant::MIN_UTC, |c| c.at);
        let facts = ledger.facts_of_since_given(a.id, from, &few)?;
        match saved.get(&a.id) {
            Some(c) => {
                let window = checkpoint::window(a, &facts, c.at, now);
                fold.add(a, checkpoint::resume(c, &window, p, now), None, Some(*c));
            }
            None => {
                let an = trust::analyze(a, &facts, now, now);
                let c = if cut { checkpoint::cut(a, &an, &facts, p, now) } else { None };
                fold.dirty |= c.is_some();
                fold.add(a, an.score_at(p, now), standing::done(a, Some(&an), now), c);
            }
        }
    }
    Ok(fold)
}

//! `troth promise`: a new agreement — its words, slug, terms, and a gentle
//! word when the record says its maker already promises more than they keep.
//! Also the input parsers other commands share (terms, `--at`/`--from` times).

use super::{Book, Ctx};
use crate::cli::PromiseArgs;
use crate::domain::Agreement;
use crate::domain::remind::remind_lead;
use crate::domain::slots;
use crate::domain::terms::{self, Terms};
use crate::domain::time::{self, DateMeaning, Instant, local_date};
use crate::domain::trust;
use crate::domain::validate::validate_slug;
use crate::domain::validate::validate_text;
use crate::error::{Error, Result};
use crate::ledger::{Ledger, NewAgreement, new_uuid};
use crate::render::json::write_json;
use crate::render::words::terms_both;
use crate::render::{self, paint, percent, words};
use std::io::Write;

pub(super) fn parse_terms(input: &str, zone: chrono_tz::Tz, now: Instant) -> Result<terms::Parsed> {
    // `--terms ""` is a script's empty variable, not a choice: saying nothing
    // must not make (or amend to) a standing rule unnoticed.
    if input.trim().is_empty() {
        return Err(Error::usage("--terms is empty: say what is promised").hint(terms::TERMS_HINT));
    }
    terms::parse(input, local_date(zone, now)).map_err(|e| Error::usage(e.to_string()).hint(terms::TERMS_HINT))
}

pub fn when(input: &str, ctx: &Ctx, zone: chrono_tz::Tz, meaning: DateMeaning, flag: &str) -> Result<Instant> {
    time::parse_when(input, ctx.now, zone, meaning)
        .map_err(|e| Error::usage(format!("{flag}: {e}")).hint(time::WHEN_HINT))
}

pub fn promise(ctx: &Ctx, ledger: &mut Ledger, a: PromiseArgs, out: &mut dyn Write) -> Result<()> {
    let text = validate_text(&a.text)?;
    let zone = match &a.zone {
        Some(z) => time::parse_zone(z).map_err(|e| Error::usage(format!("--zone: {e}")))?,
        None => ctx.settings.zone,
    };
    let (by, to) = super::parties(&ctx.settings, a.by.as_deref(), a.to.as_deref())?;
    let (starts, ends) = span(ctx, &a, zone)?;
    let parsed = parse_terms(a.terms.as_deref().unwrap_or("standing"), zone, ctx.now)?;
    refuse_a_deadline_before_the_start(ctx, &parsed.terms, zone, starts)?;
    let remind = a
        .remind
        .as_deref()
        .map(|r| {
            crate::interchange::json::normal_remind(r)
                .map_err(|e| Error::usage(format!("--remind: {e}")).hint(time::DURATION_HINT))
        })
        .transpose()?;
    let agreements = ledger.agreements()?;
    let slug = choose_slug(a.slug.as_deref(), &text, &agreements, ctx.now)?;
    if !a.anyway && parsed.terms != Terms::Standing {
        refuse_if_overpromising(ctx, ledger, &agreements, &by)?;
    }
    let new = NewAgreement {
        uuid: new_uuid(),
        slug: &slug,
        text: &text,
        by: &by,
        to: &to,
        zone,
        starts,
        ends,
        remind,
        created_at: ctx.now,
    };
    let tx = ledger.write()?;
    let id = tx.add_agreement(&new)?;
    tx.add_version(&new_uuid(), id, &parsed.terms.to_string(), parsed.unit.as_deref(), starts, None, ctx.now)?;
    tx.commit()?;
    let created = ledger.agreement(id)?.ok_or_else(|| Error::failure("the new promise could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &super::promise_json(ctx, ledger, &created)?);
    }
    write_promised(ctx, id, &new, &created, &parsed, out)
}

/// `--starts` (now if not given) and `--ends`, which must come after it.
fn span(ctx: &Ctx, a: &PromiseArgs, zone: chrono_tz::Tz) -> Result<(Instant, Option<Instant>)> {
    let starts = match &a.starts {
        Some(s) => when(s, ctx, zone, DateMeaning::Start, "--starts")?,
        None => ctx.now,
    };
    let ends = a.ends.as_deref().map(|s| when(s, ctx, zone, DateMeaning::End, "--ends")).transpose()?;
    if let Some(e) = ends
        && e <= starts
    {
        return Err(Error::usage(format!(
            "--ends ({}) is not after the promise starts ({})",
            crate::render::words::due(e, zone, ctx.now),
            crate::render::words::moment(starts, zone, ctx.now)
        )));
    }
    Ok((starts, ends))
}

fn refuse_a_deadline_before_the_start(ctx: &Ctx, terms: &Terms, zone: chrono_tz::Tz, starts: Instant) -> Result<()> {
    match slots::due_of_deadline(terms, zone) {
        Some(due) if due <= starts => Err(Error::usage(format!(
            "the deadline {} is not after the promise starts ({})",
            crate::render::words::due(due, zone, ctx.now),
            crate::render::words::moment(starts, zone, ctx.now)
        ))
        .hint("choose a later date, or --starts earlier if it was promised before")),
        _ => Ok(()),
    }
}

/// A new promise (not a standing rule) by someone already over-promising is
/// refused without --anyway (docs/design.md §4).
fn refuse_if_overpromising(ctx: &Ctx, ledger: &Ledger, agreements: &[Agreement], by: &str) -> Result<()> {
    let facts = ledger.facts(None)?;
    let book = Book::new(agreements, facts, ctx.now, ctx.now);
    match overpromised_record(ctx, &book, by) {
        Some(record) => Err(Error::usage(format!("{record}; a new promise adds to that"))
            .hint("keep the promises already made first, renegotiate one with `troth amend`, or add --anyway")),
        None => Ok(()),
    }
}

/// What `promise` says of the promise `new` it made (`id`, read back as
/// `created`): its terms, when it is first due, and its first reminder.
fn write_promised(
    ctx: &Ctx,
    id: i64,
    new: &NewAgreement<'_>,
    created: &Agreement,
    parsed: &terms::Parsed,
    out: &mut dyn Write,
) -> Result<()> {
    let (zone, starts) = (new.zone, new.starts);
    let first = created.plan.slots(ctx.now + chrono::Duration::days(400)).into_iter().next();
    let from = match (&parsed.terms, first) {
        (Terms::Standing, _) => format!("from {}", words::start(starts, zone, ctx.now)),
        (Terms::Deadline { .. }, Some(s)) => format!("due {}", words::due(s.due, zone, ctx.now)),
        (Terms::Quota { .. }, Some(s)) => {
            format!("from {}, first due {}", words::start(s.start, zone, ctx.now), words::due(s.due, zone, ctx.now))
        }
        (_, Some(s)) => format!("first due {}", words::due(s.due, zone, ctx.now)),
        (_, None) => "no slot yet".into(),
    };
    writeln!(
        out,
        "{}  #{id} {} — {} to {}, {}, {from}",
        paint(render::CALM, "promised"),
        new.slug,
        new.by,
        new.to,
        terms_both(&parsed.terms, parsed.unit.as_deref()),
    )?;
    writeln!(out, "          {}", first_reminder(ctx, created))?;
    Ok(())
}

/// When the first reminder will come (docs/design.md §6), in the promise's
/// zone: the lead before each slot is due (a quota's period end), moved out
/// of quiet hours — or to the evening before, where waiting would make it
/// late; or why there will be none.
fn first_reminder(ctx: &Ctx, x: &Agreement) -> String {
    let (_, version) = x.plan.version_at(x.starts.max(ctx.now));
    let Some(lead) = remind_lead(x, &version.terms) else {
        return "no reminders: a standing promise is never due".into();
    };
    let lead_words = words::lead(lead.days, lead.minutes);
    let before = match version.terms {
        Terms::Quota { count, period } => {
            let left = match (version.unit.as_deref(), count) {
                (Some(u), _) => format!("while {u} remain"),
                (None, 1) => "unless already kept".to_string(),
                (None, _) => "while any remain".to_string(),
            };
            format!("{lead_words} before each {} ends, {left}", period.name())
        }
        Terms::Deadline { .. } => format!("{lead_words} before it is due"),
        _ => format!("{lead_words} before each is due"),
    };
    if let Some(me) = ctx.settings.me.as_deref()
        && x.by != me
    {
        return format!("reminders go to {} ({before}); here only with `troth remind --all`", x.by);
    }
    let analysis = trust::analyze(x, &[], ctx.now, ctx.now + chrono::Duration::days(400));
    let first = analysis.slots.iter().filter(|s| !s.closed && s.remaining > 0).find_map(|s| {
        let at = crate::domain::remind::notify_time(x, s, ctx.settings.zone, ctx.settings.quiet)?;
        let base = match s.slot.terms {
            Terms::Quota { .. } => s.slot.end,
            _ => s.slot.due,
        };
        Some((at, lead.before(x.zone, base).max(s.slot.start)))
    });
    let Some((at, plain)) = first else {
        return format!("reminder {before}; none falls due");
    };
    // Made after its first reminder's time (a backdated start, or a slot
    // already under way): the next `troth remind` sends it.
    if at <= ctx.now {
        return format!("a reminder is due now: the next `troth remind` sends it — {before}");
    }
    let when = words::due_relative(at, x.zone, ctx.now);
    let why = match at.cmp(&plain) {
        std::cmp::Ordering::Greater => ", after the quiet hours",
        std::cmp::Ordering::Less => ", before the quiet hours begin",
        std::cmp::Ordering::Equal => "",
    };
    format!("first reminder {when}{why} — {before}")
}

/// "Alex's record: promised 24, delivered 14 (58%)" when the person has an
/// over-promised agreement now.
pub(super) fn overpromised_record(ctx: &Ctx, book: &Book, by: &str) -> Option<String> {
    let mut promised = 0;
    let mut delivered = 0;
    let mut over: Vec<String> = Vec::new();
    // A promise with nothing logged yet has no record to judge (its history
    // may simply not be entered yet).
    let logged = |i: &&crate::domain::report::Item| i.analysis.events.iter().any(|e| e.entry.is_some());
    for item in book.items.iter().filter(|i| i.agreement.by == by && i.agreement.is_live(ctx.now)).filter(logged) {
        if let Some(j) = trust::judge(item.agreement, &item.analysis, ctx.now, None, ctx.settings.threshold) {
            promised += j.promised;
            delivered += j.delivered;
            if j.overpromised {
                // Name the promise that triggers the gate, with its own record.
                over.push(format!("{} ({} of {}, {})", item.agreement.slug, j.delivered, j.promised, percent(j.rate)));
            }
        }
    }
    (!over.is_empty()).then(|| {
        format!(
            "{by}'s record: promised {promised}, delivered {delivered} ({}) — {} {} already more than the record supports",
            percent((promised > 0).then(|| delivered as f64 / promised as f64)),
            over.join(", "),
            if over.len() == 1 { "is" } else { "are" }
        )
    })
}

/// The slug a new promise gets: the one asked for (refused when a promise in
/// force has it), else one made from its words, with `-2`, `-3`… when taken.
fn choose_slug(asked: Option<&str>, text: &str, agreements: &[Agreement], now: Instant) -> Result<String> {
    Ok(match asked {
        Some(s) => {
            let s = validate_slug(s)?;
            // `troth kept -walk` would read as flags: a new slug begins with
            // a letter or a digit (one from an import or a partner is kept).
            if s.starts_with('-') {
                return Err(Error::usage(format!("\"{s}\" cannot be a slug: it would read as an option"))
                    .hint("begin it with a letter or a digit, e.g. date-night"));
            }
            if agreements.iter().any(|x| x.slug == s && x.is_live(now)) {
                return Err(Error::usage(format!("the slug \"{s}\" is already taken by a promise in force"))
                    .hint("choose another with --slug"));
            }
            s
        }
        None => {
            let base = crate::render::names::slug_from(text);
            let taken = |s: &str| agreements.iter().any(|x| x.slug == s && x.is_live(now));
            let mut s = base.clone();
            let mut n = 2;
            while taken(&s) {
                s = format!("{base}-{n}");
                n += 1;
            }
            s
        }
    })
}

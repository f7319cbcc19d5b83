//! Commands about promises themselves: init, promise, list, show, amend,
//! pause/resume/retire, void, config.

use super::{
    Book, Ctx, agreement_json, find, remind_lead, round4, terms_words, validate_note, validate_text, write_json,
};
use crate::cli::{AmendArgs, ConfigArgs, InitArgs, ListArgs, PromiseArgs, ShowArgs, VoidArgs};
use crate::domain::Agreement;
use crate::domain::settings::{KEYS, validate_name};
use crate::domain::slots::{self, Status};
use crate::domain::terms::{self, Terms};
use crate::domain::time::{self, DateMeaning, Instant, human_date, human_datetime, local_date, rfc3339};
use crate::domain::trust::{self, EventKind, Score};
use crate::error::{Error, Result};
use crate::ledger::{Ledger, NewAgreement, new_uuid};
use crate::render::{self, paint, percent, trust2};
use serde_json::{Value, json};
use std::io::Write;

pub fn init(ctx: &Ctx, ledger: &mut Ledger, a: InitArgs, out: &mut dyn Write) -> Result<()> {
    let me = a.me.as_deref().map(validate_name).transpose()?;
    let partner = a.partner.as_deref().map(validate_name).transpose()?;
    let zone = a.zone.as_deref().map(|z| time::parse_zone(z).map_err(Error::usage)).transpose()?;
    let tx = ledger.write()?;
    for (key, value) in [("me", me.clone()), ("partner", partner.clone()), ("zone", zone.map(|z| z.name().to_string()))]
    {
        if let Some(v) = value
            && tx.setting(key)?.as_deref() != Some(v.as_str())
        {
            tx.set_setting(&new_uuid(), key, &v, ctx.now)?;
        }
    }
    tx.commit()?;
    let settings = ledger.settings()?;
    if ctx.env.json {
        return write_json(out, &settings_json(&settings));
    }
    let path = ledger.path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    writeln!(
        out,
        "ledger ready  {path}\n              {} & {} · home zone {}",
        settings.default_by(),
        settings.default_to(),
        settings.zone.name()
    )?;
    writeln!(out, "next: troth promise \"date night every Friday\" --terms \"every fri 19:00\"")?;
    Ok(())
}

/// A slug from the text: its first words, lower-cased, joined by `-`.
fn slug_from(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    let mut slug = words.join("-");
    if slug.len() > 36 {
        slug.truncate(36);
        slug = slug.trim_end_matches('-').to_string();
    }
    if slug.is_empty() {
        slug = "promise".into();
    }
    if slug.chars().all(|c| c.is_ascii_digit()) {
        slug = format!("p-{slug}");
    }
    slug
}

pub fn validate_slug(s: &str) -> Result<String> {
    let ok = !s.is_empty()
        && s.len() <= 40
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.chars().all(|c| c.is_ascii_digit());
    if !ok {
        return Err(Error::usage(format!("\"{}\" cannot be a slug", time::printable(s)))
            .hint("a slug is 1–40 lower-case letters, digits and -, not all digits (those are ids), e.g. date-night"));
    }
    Ok(s.to_string())
}

fn parse_terms(input: &str, zone: chrono_tz::Tz, now: Instant) -> Result<terms::Parsed> {
    terms::parse(input, local_date(zone, now)).map_err(|e| Error::usage(e).hint(terms::TERMS_HINT))
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
    let by = validate_name(&a.by.clone().unwrap_or_else(|| ctx.settings.default_by()))?;
    let to = validate_name(&a.to.clone().unwrap_or_else(|| ctx.settings.default_to()))?;
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
            rfc3339(e, zone),
            rfc3339(starts, zone)
        )));
    }
    let parsed = parse_terms(a.terms.as_deref().unwrap_or("standing"), zone, ctx.now)?;
    if let Some(due) = slots::due_of_deadline(&parsed.terms, zone)
        && due <= starts
    {
        return Err(Error::usage(format!(
            "the deadline {} is not after the promise starts ({})",
            rfc3339(due, zone),
            rfc3339(starts, zone)
        ))
        .hint("choose a later date, or --starts earlier if it was promised before"));
    }
    let remind = a
        .remind
        .as_deref()
        .map(|r| {
            time::parse_duration(r).map_err(|e| Error::usage(format!("--remind: {e}")).hint(time::DURATION_HINT))?;
            Ok::<String, Error>(r.to_ascii_lowercase().split_whitespace().collect())
        })
        .transpose()?;
    let agreements = ledger.agreements()?;
    let slug = match &a.slug {
        Some(s) => {
            let s = validate_slug(s)?;
            if agreements.iter().any(|x| x.slug == s && x.is_live(ctx.now)) {
                return Err(Error::usage(format!("the slug \"{s}\" is already taken by a promise in force"))
                    .hint("choose another with --slug"));
            }
            s
        }
        None => {
            let base = slug_from(&text);
            let taken = |s: &str| agreements.iter().any(|x| x.slug == s && x.is_live(ctx.now));
            let mut s = base.clone();
            let mut n = 2;
            while taken(&s) {
                s = format!("{base}-{n}");
                n += 1;
            }
            s
        }
    };
    if !a.anyway && parsed.terms != Terms::Standing {
        let facts = ledger.facts(None)?;
        let book = Book::new(&agreements, facts, ctx.now, ctx.now);
        if let Some(record) = overpromised_record(ctx, &book, &by) {
            return Err(Error::usage(format!("{record}; a new promise adds to that"))
                .hint("keep the promises already made first, renegotiate one with `troth amend`, or add --anyway"));
        }
    }
    let tx = ledger.write()?;
    let uuid = new_uuid();
    let id = tx.add_agreement(&NewAgreement {
        uuid,
        slug: &slug,
        text: &text,
        by: &by,
        to: &to,
        zone,
        starts,
        ends,
        remind,
        created_at: ctx.now,
    })?;
    tx.add_version(&new_uuid(), id, &parsed.terms.to_string(), parsed.unit.as_deref(), starts, None, ctx.now)?;
    tx.commit()?;
    let created = ledger.agreement(id)?.ok_or_else(|| Error::failure("the new promise could not be read back"))?;
    if ctx.env.json {
        return write_json(out, &agreement_json(&created, None, &ctx.settings, ctx.now));
    }
    let first = created.plan.slots(ctx.now + chrono::Duration::days(400)).into_iter().next();
    let from = match (&parsed.terms, first) {
        (Terms::Standing, _) => format!("from {}", human_date(starts, zone, ctx.now)),
        (Terms::Deadline { .. }, Some(s)) => {
            format!("due {}", human_datetime(s.due, zone, ctx.now))
        }
        (_, Some(s)) => format!("first due {}", human_datetime(s.due, zone, ctx.now)),
        (_, None) => "no slot yet".into(),
    };
    writeln!(
        out,
        "{}  #{id} {slug} — {by} to {to}, {} ({}), {from}",
        paint(render::CALM, "promised"),
        terms_words(&parsed.terms, parsed.unit.as_deref()),
        parsed.terms
    )?;
    if let Some(lead) = remind_lead(&created, &parsed.terms) {
        writeln!(out, "          reminder {lead} before each is due")?;
    }
    Ok(())
}

/// "Alex's record: promised 24, delivered 14 (58%)" when the person has an
/// over-promised agreement now.
fn overpromised_record(ctx: &Ctx, book: &Book, by: &str) -> Option<String> {
    let mut promised = 0;
    let mut delivered = 0;
    let mut any_over = false;
    // A promise with nothing logged yet has no record to judge (its history
    // may simply not be entered yet).
    let logged = |i: &&crate::domain::report::Item| i.analysis.events.iter().any(|e| e.entry.is_some());
    for item in book.items.iter().filter(|i| i.agreement.by == by && i.agreement.is_live(ctx.now)).filter(logged) {
        if let Some(j) = trust::judge(item.agreement, &item.analysis, ctx.now, 8, ctx.settings.threshold) {
            promised += j.promised;
            delivered += j.delivered;
            any_over |= j.overpromised;
        }
    }
    any_over.then(|| {
        format!(
            "{by}'s record: promised {promised}, delivered {delivered} ({}) — some promises are already more than the record supports",
            percent((promised > 0).then(|| delivered as f64 / promised as f64))
        )
    })
}

pub fn list(ctx: &Ctx, ledger: &Ledger, a: ListArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let facts = ledger.facts(None)?;
    let book = Book::new(&agreements, facts, ctx.now, ctx.now);
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
            let score = book.get(x.id).map(|i| trust::score_at(&i.analysis.events, &ctx.settings.trust, ctx.now));
            let status = if x.is_void() { "void".to_string() } else { x.plan.status_at(ctx.now).name().to_string() };
            let status = match super::pending(x, ctx.now) {
                Some((t, s, from)) if !x.is_void() => {
                    let what = match (t, s) {
                        (Some(t), _) => t.to_string(),
                        (None, Some(s)) => s.name().to_string(),
                        _ => String::new(),
                    };
                    format!("{status} ({what} from {})", human_date(from, x.zone, ctx.now))
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

pub fn show(ctx: &Ctx, ledger: &Ledger, a: ShowArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?;
    let entries = ledger.entries(Some(x.id))?;
    let live: Vec<crate::domain::Fact> = entries.iter().filter(|e| e.void.is_none()).map(Into::into).collect();
    let analysis = trust::analyze(x, &live, ctx.now, ctx.now + chrono::Duration::days(8));
    let p = &ctx.settings.trust;
    // The events behind the number, each with the trust before and after.
    let mut score = Score::new(p);
    let mut steps = Vec::new();
    for ev in analysis.events.iter().filter(|e| e.at <= ctx.now) {
        let before = score.trust;
        score.apply(ev, p);
        steps.push((ev.clone(), before, score.trust));
    }
    if x.is_void() {
        score = Score::new(p);
        steps.clear();
    }
    if ctx.env.json {
        let uuids: std::collections::HashMap<i64, &str> = entries.iter().map(|e| (e.id, e.uuid.as_str())).collect();
        let mut v = agreement_json(x, (!x.is_void()).then_some(&analysis), &ctx.settings, ctx.now);
        let obj = v.as_object_mut().expect("object");
        obj.insert(
            "versions".into(),
            Value::Array(
                x.plan
                    .versions
                    .iter()
                    .map(|ver| {
                        json!({"terms": ver.terms.to_string(), "unit": ver.unit, "effective": rfc3339(ver.effective, x.zone),
                               "recorded": rfc3339(ver.created, x.zone)})
                    })
                    .collect(),
            ),
        );
        obj.insert(
            "statuses".into(),
            Value::Array(
                x.plan
                    .statuses
                    .iter()
                    .map(|s| json!({"status": s.status.name(), "effective": rfc3339(s.effective, x.zone), "recorded": rfc3339(s.created, x.zone)}))
                    .collect(),
            ),
        );
        obj.insert(
            "slots".into(),
            Value::Array(
                analysis
                    .slots
                    .iter()
                    .filter(|s| s.slot.start <= ctx.now)
                    .map(|s| {
                        json!({"start": rfc3339(s.slot.start, x.zone), "end": rfc3339(s.slot.end, x.zone),
                               "due": rfc3339(s.slot.due, x.zone), "units": s.slot.units, "terms": s.slot.terms.to_string(),
                               "closed": s.closed, "promised": s.promised, "kept": s.kept, "broken": s.broken,
                               "excused": s.excused, "delivered": s.delivered, "extra": s.extra, "missed": s.missed,
                               "remaining": s.remaining})
                    })
                    .collect(),
            ),
        );
        obj.insert(
            "events".into(),
            Value::Array(
                steps
                    .iter()
                    .map(|(ev, before, after)| {
                        json!({"at": rfc3339(ev.at, x.zone), "event": event_name(ev.kind), "units": ev.units,
                               "entry": ev.entry, "entry_uuid": ev.entry.and_then(|id| uuids.get(&id)),
                               "before": round4(*before), "after": round4(*after)})
                    })
                    .collect(),
            ),
        );
        obj.insert(
            "entries".into(),
            Value::Array(entries.iter().map(|e| super::entry_json(e, x, Some(&analysis))).collect()),
        );
        return write_json(out, &v);
    }
    let (_, version) = x.plan.version_at(ctx.now);
    writeln!(out, "#{} {} — \"{}\"", x.id, paint(render::BOLD, &x.slug), x.text)?;
    let status = if x.is_void() { "void".to_string() } else { x.plan.status_at(ctx.now).name().to_string() };
    writeln!(
        out,
        "{} → {} · {} · {} · since {} · {status}",
        x.by,
        x.to,
        terms_words(&version.terms, version.unit.as_deref()),
        x.zone.name(),
        human_date(x.starts, x.zone, ctx.now)
    )?;
    if let Some((t, s, from)) = super::pending(x, ctx.now) {
        let what = match (t, s) {
            (Some(t), Some(s)) => format!("{t}, {}", s.name()),
            (Some(t), None) => t.to_string(),
            (None, Some(s)) => s.name().to_string(),
            _ => String::new(),
        };
        writeln!(out, "change ahead: {what} from {}", human_datetime(from, x.zone, ctx.now))?;
    }
    if x.plan.versions.len() > 1 {
        writeln!(out, "\nterms history")?;
        for ver in x.plan.versions_in_force() {
            writeln!(out, "  from {:<22} {}", human_datetime(ver.effective, x.zone, ctx.now), ver.terms)?;
        }
    }
    writeln!(out)?;
    match score.rate() {
        Some(r) => writeln!(
            out,
            "trust {}  (follow-through {}: {} of {})",
            trust2(score.trust),
            percent(Some(r)),
            score.kept,
            score.total
        )?,
        None => writeln!(
            out,
            "trust {}  (nothing scored yet — trust starts here and moves with each entry)",
            trust2(score.trust)
        )?,
    }
    // The table shows the most recent steps; all of them are in --json.
    const SHOWN: usize = 40;
    if steps.len() > SHOWN {
        writeln!(out, "  … {} earlier events (all of them: troth show {} --json)", steps.len() - SHOWN, x.slug)?;
    }
    if !steps.is_empty() {
        let notes: std::collections::HashMap<i64, &crate::domain::Entry> = entries.iter().map(|e| (e.id, e)).collect();
        let rows: Vec<Vec<String>> = steps[steps.len().saturating_sub(SHOWN)..]
            .iter()
            .map(|(ev, before, after)| {
                let what = match ev.kind {
                    EventKind::Missed => {
                        let s = &analysis.slots[ev.slot.unwrap_or(0)];
                        format!(
                            "missed {} (slot of {}: {} of {})",
                            ev.units,
                            human_date(s.slot.start, x.zone, ctx.now),
                            s.delivered,
                            s.promised
                        )
                    }
                    k => {
                        let mut w = event_name(k).to_string();
                        if let Some(e) = ev.entry.and_then(|id| notes.get(&id)) {
                            if analysis.late.contains(&e.id) {
                                w.push_str(" (late)");
                            }
                            if let Some(n) = &e.note {
                                let short: String = n.chars().take(40).collect();
                                w.push_str(&format!(" \"{short}\""));
                            }
                        }
                        w
                    }
                };
                vec![human_datetime(ev.at, x.zone, ctx.now), what, format!("{} → {}", trust2(*before), trust2(*after))]
            })
            .collect();
        writeln!(out, "{}", render::table(&["when", "event", "trust"], &rows))?;
    }
    if let Some(s) = analysis.slots.iter().find(|s| !s.closed && s.slot.start <= ctx.now) {
        writeln!(
            out,
            "\nnow: {} of {} kept, due {}",
            s.kept.min(s.promised),
            s.promised,
            human_datetime(s.slot.due, x.zone, ctx.now)
        )?;
    }
    let extra: u32 = analysis.slots.iter().map(|s| s.extra).sum();
    if extra > 0 {
        writeln!(out, "and {extra} kept beyond what was promised — shown, not scored")?;
    }
    // Entries that count for nothing for a reason other than their own void
    // (which `log --all` shows): say which, and why.
    let uncounted: Vec<(&crate::ledger::Entry, crate::domain::converge::Why)> = entries
        .iter()
        .filter(|e| e.void.is_none())
        .filter_map(|e| crate::domain::converge::why(e, x).map(|w| (e, w)))
        .collect();
    if !uncounted.is_empty() {
        writeln!(
            out,
            "
counting for nothing"
        )?;
        for (e, why) in uncounted {
            writeln!(
                out,
                "  #{} {} {} — {}",
                e.id,
                human_datetime(e.at, x.zone, ctx.now),
                e.outcome.name(),
                why.words().trim_start_matches("counts for nothing: ")
            )?;
        }
    }
    Ok(())
}

fn event_name(k: EventKind) -> &'static str {
    match k {
        EventKind::Kept => "kept",
        EventKind::Broken => "broken",
        EventKind::Missed => "missed",
    }
}

pub fn amend(ctx: &Ctx, ledger: &mut Ledger, a: AmendArgs, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, &a.agreement, ctx.now)?.clone();
    refuse_if_closed(&x, ctx.now)?;
    let note = validate_note(a.note.as_deref())?;
    let parsed = parse_terms(&a.terms, x.zone, ctx.now)?;
    let (_, current) = x.plan.version_at(ctx.now);
    let latest = x.plan.versions_in_force().last().cloned().expect("a version");
    if latest.terms == parsed.terms && latest.unit == parsed.unit {
        return Err(Error::usage(format!("{} already has the terms {}", x.slug, parsed.terms)));
    }
    let from = a.from.as_deref().map(|f| when(f, ctx, x.zone, DateMeaning::Start, "--from")).transpose()?;
    let effective = match (current.terms, parsed.terms, from) {
        // A deadline may be moved until it is due: the new due time replaces the old one.
        (Terms::Deadline { .. }, Terms::Deadline { .. }, None)
            if slots::due_of_deadline(&current.terms, x.zone).is_some_and(|d| ctx.now < d) =>
        {
            current.effective
        }
        _ => {
            let base = x.plan.next_boundary(ctx.now);
            let base = match from {
                Some(f) if f < base => {
                    return Err(Error::usage(format!(
                        "--from {} is before the new terms could start",
                        time::human_datetime(f, x.zone, ctx.now)
                    ))
                    .hint(format!(
                        "the slot under way keeps the terms it was promised under; the earliest is {}",
                        rfc3339(base, x.zone)
                    )));
                }
                Some(f) => f,
                None => base,
            };
            slots::first_start(&parsed.terms, x.zone, base)
        }
    };
    if let Some(due) = slots::due_of_deadline(&parsed.terms, x.zone)
        && (due <= effective.max(x.starts) || due <= ctx.now)
    {
        return Err(Error::usage(format!("the new deadline {} has already passed", rfc3339(due, x.zone)))
            .hint("choose a due time that is still ahead"));
    }
    if !a.anyway && parsed.terms.load() > current.terms.load() {
        let facts = ledger.facts(None)?;
        let book = Book::new(&agreements, facts, ctx.now, ctx.now);
        if let Some(item) = book.get(x.id)
            && let Some(j) = trust::judge(item.agreement, &item.analysis, ctx.now, 8, ctx.settings.threshold)
        {
            let supported = j.suggested.map(|t| t.load()).unwrap_or(0.0);
            if j.overpromised && parsed.terms.load() > supported + 1e-9 {
                let mut err = Error::usage(format!(
                    "{}'s record for {}: promised {}, delivered {} over the last {} slots ({})",
                    x.by,
                    x.slug,
                    j.promised,
                    j.delivered,
                    j.slots,
                    percent(j.rate)
                ));
                err = err.hint(format!(
                    "{} looks like more than the record supports{}",
                    parsed.terms,
                    j.suggested.map(|t| format!("; {t} does")).unwrap_or_default()
                ));
                return Err(err.hint("promise it anyway with --anyway, or choose terms you can keep"));
            }
        }
        if let Some(record) = overpromised_record(ctx, &book, &x.by) {
            return Err(Error::usage(format!("{record}; these terms ask for more"))
                .hint("choose terms you can keep, or add --anyway"));
        }
    }
    let tx = ledger.write()?;
    tx.add_version(
        &new_uuid(),
        x.id,
        &parsed.terms.to_string(),
        parsed.unit.as_deref(),
        effective,
        note.as_deref(),
        ctx.now,
    )?;
    tx.commit()?;
    let updated = ledger.agreement(x.id)?.expect("still there");
    if ctx.env.json {
        return write_json(out, &agreement_json(&updated, None, &ctx.settings, ctx.now));
    }
    let when = if effective <= ctx.now {
        "now".to_string()
    } else {
        format!("from {}", human_datetime(effective, x.zone, ctx.now))
    };
    writeln!(
        out,
        "{}  {} — {} ({}) {when}",
        paint(render::CALM, "amended"),
        x.slug,
        terms_words(&parsed.terms, parsed.unit.as_deref()),
        parsed.terms
    )?;
    if effective > ctx.now && current.terms != Terms::Standing {
        writeln!(
            out,
            "         until then: {} — the slot under way keeps the terms it was promised under",
            current.terms
        )?;
    }
    Ok(())
}

fn refuse_if_closed(x: &Agreement, now: Instant) -> Result<()> {
    if x.is_void() {
        return Err(Error::usage(format!("{} was voided as entered by mistake; it takes nothing more", x.slug))
            .hint("make it again with `troth promise` if it was meant"));
    }
    if x.retired_at(now) {
        return Err(Error::usage(format!("{} is retired; retirement is final", x.slug))
            .hint("make a new promise with `troth promise` if it is to go on"));
    }
    Ok(())
}

pub fn set_status(ctx: &Ctx, ledger: &mut Ledger, arg: &str, status: Status, out: &mut dyn Write) -> Result<()> {
    let agreements = ledger.agreements()?;
    let x = find(&agreements, arg, ctx.now)?.clone();
    refuse_if_closed(&x, ctx.now)?;
    let intended = x.plan.statuses_in_force().last().map(|s| s.status).unwrap_or(Status::Active);
    if intended == Status::Retired {
        return Err(Error::usage(format!("{} is already being retired", x.slug)));
    }
    if intended == status {
        let msg = match status {
            Status::Paused => format!("{} is already paused", x.slug),
            Status::Active => format!("{} is not paused", x.slug),
            Status::Retired => unreachable!(),
        };
        return Err(Error::usage(msg));
    }
    let (_, version) = x.plan.version_at(ctx.now);
    let effective = match (status, version.terms) {
        // Retiring a deadline before it is due releases it, now.
        (Status::Retired, Terms::Deadline { .. }) => ctx.now,
        _ => x.plan.next_boundary(ctx.now),
    };
    let tx = ledger.write()?;
    tx.add_status(&new_uuid(), x.id, status, effective, ctx.now)?;
    tx.commit()?;
    let updated = ledger.agreement(x.id)?.expect("still there");
    if ctx.env.json {
        return write_json(out, &agreement_json(&updated, None, &ctx.settings, ctx.now));
    }
    let verb = match status {
        Status::Paused => "paused",
        Status::Active => "resumed",
        Status::Retired => "retired",
    };
    let when = if effective <= ctx.now {
        "now".to_string()
    } else {
        format!("from {} (the slot under way still counts)", human_datetime(effective, x.zone, ctx.now))
    };
    writeln!(out, "{}  {} {when}", paint(render::CALM, verb), x.slug)?;
    Ok(())
}

pub fn void(ctx: &Ctx, ledger: &mut Ledger, a: VoidArgs, out: &mut dyn Write) -> Result<()> {
    let reason = validate_note(a.reason.as_deref())?;
    let agreements = ledger.agreements()?;
    if let Some(arg) = &a.agreement {
        let x = find(&agreements, arg, ctx.now)?;
        if x.is_void() {
            return Err(Error::usage(format!("{} is already void; a void cannot be undone", x.slug))
                .hint("make the promise again with `troth promise` if it was meant"));
        }
        let tx = ledger.write()?;
        tx.void_agreement(&new_uuid(), x.id, reason.as_deref(), ctx.now)?;
        tx.commit()?;
        let updated = ledger.agreement(x.id)?.expect("still there");
        if ctx.env.json {
            return write_json(out, &agreement_json(&updated, None, &ctx.settings, ctx.now));
        }
        writeln!(
            out,
            "{}  promise #{} {} — it counts for nothing now, and stays in `troth list --all`",
            paint(render::CALM, "voided"),
            x.id,
            x.slug
        )?;
        return Ok(());
    }
    let raw = a.entry_id.as_deref().unwrap_or_default().trim().trim_start_matches('#');
    let id: i64 = raw.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        Error::usage(format!("\"{}\" is not an entry id", time::printable(raw)))
            .hint("entry ids are the numbers in `troth log`; to void a promise use --agreement")
    })?;
    let entry = ledger.entry(id)?.ok_or_else(|| {
        Error::usage(format!("there is no entry #{id}")).hint("`troth log --all` shows every entry with its id")
    })?;
    if entry.void.is_some() {
        return Err(Error::usage(format!("entry #{id} is already void; a void cannot be voided"))
            .hint("log the entry again instead"));
    }
    let x = agreements.iter().find(|x| x.id == entry.agreement_id).expect("entry's agreement");
    let tx = ledger.write()?;
    tx.void_entry(&new_uuid(), id, reason.as_deref(), ctx.now)?;
    tx.commit()?;
    let entry = ledger.entry(id)?.expect("still there");
    if ctx.env.json {
        return write_json(out, &super::entry_json(&entry, x, None));
    }
    writeln!(
        out,
        "{}  entry #{id} ({} {} {}) — it counts for nothing now, and stays in `troth log --all`",
        paint(render::CALM, "voided"),
        x.slug,
        entry.outcome.name(),
        human_datetime(entry.at, x.zone, ctx.now)
    )?;
    Ok(())
}

fn settings_json(s: &crate::domain::Settings) -> Value {
    let mut m = serde_json::Map::new();
    for key in KEYS {
        let v = s.get(key).unwrap_or_default();
        let value = match *key {
            "me" | "partner" if v.is_empty() => Value::Null,
            "trust.start" | "trust.gain" | "trust.loss" | "overpromise.threshold" => {
                json!(v.parse::<f64>().unwrap_or(0.0))
            }
            "remind.private" => json!(v == "true"),
            _ => json!(v),
        };
        m.insert(key.to_string(), value);
    }
    Value::Object(m)
}

pub fn config(ctx: &Ctx, ledger: &mut Ledger, a: ConfigArgs, out: &mut dyn Write) -> Result<()> {
    match (a.key, a.value) {
        (None, _) => {
            let s = ledger.settings()?;
            if ctx.env.json {
                return write_json(out, &settings_json(&s));
            }
            for key in KEYS {
                writeln!(out, "{key} = {}", s.get(key)?)?;
            }
        }
        (Some(key), None) => {
            let s = ledger.settings()?;
            let v = s.get(&key)?;
            if ctx.env.json {
                return write_json(out, &json!({ "key": key, "value": settings_json(&s)[key.as_str()] }));
            }
            writeln!(out, "{v}")?;
        }
        (Some(key), Some(value)) => {
            let mut s = ledger.settings()?;
            let value = value.trim().to_string();
            s.apply(&key, &value)?;
            let stored = s.get(&key)?;
            let tx = ledger.write()?;
            tx.set_setting(&new_uuid(), &key, &stored, ctx.now)?;
            tx.commit()?;
            if ctx.env.json {
                return write_json(out, &settings_json(&s));
            }
            writeln!(out, "{key} = {stored}")?;
        }
    }
    Ok(())
}

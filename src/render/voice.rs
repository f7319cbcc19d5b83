//! The partner's voice in words (docs/design.md §10): what `show` lists under
//! "what each of you said", `log`'s verdict column, repairs, and the
//! report's "To talk about" lines — factual, never blaming.

use crate::domain::talk::Talk;

use crate::domain::time::{Instant, human_date, human_datetime};
use crate::domain::trust::Analysis;
use crate::domain::voice::{Repair, VerdictKind, deciding, other_parties};
use crate::domain::{Agreement, Entry};
use crate::error::Result;
use std::io::Write;

pub fn short(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n { one } else { format!("{}…", one.chars().take(n - 1).collect::<String>()) }
}

/// What a repair is for, in words: "broken Fri 13 Nov" / "missed, slot of 1 Oct".
pub fn repair_for(r: &Repair, x: &Agreement, now: Instant) -> String {
    match r.slot_start {
        Some(s) => format!("missed, slot of {}", human_date(s, x.zone, now)),
        None => format!("broken, entry #{}", r.entry_id.unwrap_or(0)),
    }
}

pub fn write_repair(out: &mut dyn Write, r: &Repair, x: &Agreement, now: Instant) -> Result<()> {
    let mut text =
        format!("  repair #{:<3} {} ({}) — {}: \"{}\"", r.id, x.slug, repair_for(r, x, now), r.by, r.apology);
    if let Some(p) = &r.plan {
        text.push_str(&format!("  Plan: \"{p}\""));
    }
    writeln!(out, "{text}")?;
    Ok(())
}

/// `show`'s verdicts, repairs and acceptances, in time order.
pub fn show_voices(out: &mut dyn Write, x: &Agreement, entries: &[Entry], an: &Analysis, now: Instant) -> Result<()> {
    let mut lines: Vec<(Instant, u8, String, String)> = Vec::new();
    for e in entries {
        for v in &e.verdicts {
            let what = match v.kind {
                VerdictKind::Confirmed => format!("{} confirmed #{} ({})", v.by, e.id, e.outcome.name()),
                VerdictKind::Disputed => format!(
                    "{} saw #{} ({}) differently: \"{}\"",
                    v.by,
                    e.id,
                    e.outcome.name(),
                    short(v.note.as_deref().unwrap_or(""), 60)
                ),
            };
            let mut what = what;
            if let (VerdictKind::Confirmed, Some(n)) = (v.kind, &v.note) {
                what.push_str(&format!(": \"{}\"", short(n, 60)));
            }
            lines.push((v.at, 0, v.uuid.clone(), what));
        }
        if let Some(why) = an.why.get(&e.id)
            && e.void.is_none()
        {
            let now_line = match why {
                crate::domain::voice::Why::Held => {
                    format!("#{} is held: it counts for nothing until you two settle it", e.id)
                }
                crate::domain::voice::Why::DisputedExcuse => {
                    format!("#{} (excused) is disputed: the unit is promised again", e.id)
                }
                crate::domain::voice::Why::LateExcuse => {
                    format!(
                        "#{} is a late excuse: it counts once {} confirms it",
                        e.id,
                        names(&other_parties(&x.by, &x.to, &e.logged_by))
                    )
                }
            };
            lines.push((now, 2, format!("~{}", e.id), now_line));
        }
    }
    for r in &x.repairs {
        let mut what =
            format!("{} offered repair #{} ({}): \"{}\"", r.by, r.id, repair_for(r, x, now), short(&r.apology, 60));
        if let Some(p) = &r.plan {
            what.push_str(&format!(" · plan: \"{}\"", short(p, 40)));
        }
        lines.push((r.at, 0, r.uuid.clone(), what));
        for a in &r.acceptances {
            let counted = r.accepted().is_some_and(|first| first.uuid == a.uuid) && an.repairs.contains(&r.id);
            let mut what = format!("{} accepted repair #{}", a.by, r.id);
            if !counted {
                what.push_str(
                    " (counts for nothing: its broken entry or missed unit was already repaired or no longer counts)",
                );
            }
            lines.push((a.at, 1, a.uuid.clone(), what));
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    lines.sort();
    writeln!(out, "\nwhat each of you said")?;
    for (at, _, key, what) in lines {
        if key.starts_with('~') {
            writeln!(out, "  now{:<19} {what}", "")?;
        } else {
            writeln!(out, "  {:<22} {what}", human_datetime(at, x.zone, now))?;
        }
    }
    Ok(())
}

/// `log`'s verdict column: "confirmed by Sam", "Sam saw it differently",
/// "late excuse, not yet confirmed", or nothing.
pub fn verdict_words(e: &Entry, an: Option<&Analysis>) -> String {
    let why = an.and_then(|an| an.why.get(&e.id));
    match (deciding(&e.verdicts), why) {
        (Some(v), _) if v.kind == VerdictKind::Disputed => format!("{} saw it differently", v.by),
        (_, Some(crate::domain::voice::Why::LateExcuse)) => "late excuse, not yet confirmed".into(),
        (Some(v), _) => format!("confirmed by {}", v.by),
        (None, _) => String::new(),
    }
}

/// One line, never blaming: "Sam saw it differently: …".
pub fn talk_words(t: &Talk, now: Instant) -> String {
    let x = t.agreement;
    match (t.entry, t.repair) {
        (Some(e), _) if t.kind == "dispute" => {
            let v = deciding(&e.verdicts).filter(|v| v.kind == VerdictKind::Disputed);
            format!(
                "{} #{} {} {} — {} saw it differently: \"{}\"",
                x.slug,
                e.id,
                e.outcome.name(),
                human_date(e.at, x.zone, now),
                v.map(|v| v.by.as_str()).unwrap_or("one of you"),
                short(v.and_then(|v| v.note.as_deref()).unwrap_or(""), 60)
            )
        }
        (Some(e), _) => format!(
            "{} #{} excused {} — logged after it was due; it counts once {} confirms it",
            x.slug,
            e.id,
            human_date(e.at, x.zone, now),
            names(&other_parties(&x.by, &x.to, &e.logged_by))
        ),
        (None, Some(r)) if t.kind == "repair_accepted" => format!(
            "{} — {} accepted {}'s repair #{} ({})",
            x.slug,
            r.accepted().map(|a| a.by.as_str()).unwrap_or(&x.to),
            r.by,
            r.id,
            repair_for(r, x, now)
        ),
        (None, Some(r)) => format!(
            "{} — {} offered a repair #{} ({}): \"{}\"",
            x.slug,
            r.by,
            r.id,
            repair_for(r, x, now),
            short(&r.apology, 60)
        ),
        (None, None) => x.slug.clone(),
    }
}

/// The report's "To talk about" section, as a table's trailer or Markdown.
pub fn write_talk(out: &mut dyn Write, talk: &[Talk], markdown: bool, now: Instant) -> Result<()> {
    if markdown {
        writeln!(out, "\n### To talk about\n")?;
        if talk.is_empty() {
            writeln!(out, "- nothing open between you this week")?;
        }
        for t in talk {
            writeln!(out, "- {}", talk_words(t, now).replace('|', "\\|"))?;
        }
        return Ok(());
    }
    writeln!(out)?;
    if talk.is_empty() {
        writeln!(out, "  To talk about: nothing open between you this week")?;
        return Ok(());
    }
    writeln!(out, "  To talk about:")?;
    for t in talk {
        writeln!(out, "    {}", talk_words(t, now))?;
    }
    Ok(())
}

fn names(people: &[&str]) -> String {
    people.join(" or ")
}

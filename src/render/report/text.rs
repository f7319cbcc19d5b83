//! The report on the terminal: the title, the week's table and its notes,
//! each person's trust (and what it averages, where the table does not show
//! it), over-promising, what is coming up, and what to talk about.

use super::{HEADERS, averages_words, table, title};
use crate::domain::weekly::ReportModel;
use crate::error::Result;
use crate::render::due::due_words;
use crate::render::over::over_sentence;
use crate::render::voice::write_talk;
use crate::render::words::trust_legend;
use crate::render::{self, change, paint, percent, trust2};
use std::io::Write;

pub fn write_text(m: &ReportModel, out: &mut dyn Write) -> Result<()> {
    let (rows, notes) = table(m);
    writeln!(out, "{}\n", paint(render::BOLD, &title(m, str::to_string)))?;
    if rows.is_empty() {
        writeln!(out, "  Nothing was due and nothing was logged this week.")?;
    } else {
        writeln!(out, "{}", render::table(&HEADERS, &rows))?;
        for n in &notes {
            writeln!(out, "  {n}")?;
        }
    }
    writeln!(out)?;
    for p in &m.people {
        let t = &p.trust;
        writeln!(
            out,
            "  {:<10} trust {} {} · follow-through {}",
            p.name,
            trust2(t.trust),
            change(t.trust_change),
            percent(t.rate)
        )?;
        if let Some(words) = averages_words(m, p) {
            writeln!(out, "  {:<10} {}", "", paint(render::DIM, &words))?;
        }
    }
    if m.people.len() > 1 {
        writeln!(
            out,
            "  {:<10} trust {} {} · follow-through {}",
            "together",
            trust2(m.overall.trust),
            change(m.overall.trust_change),
            percent(m.overall.rate)
        )?;
    }
    writeln!(out, "  {}", paint(render::DIM, &trust_legend(m.trust_start)))?;
    let over: Vec<_> = m.over.iter().filter(|o| o.judgement.overpromised).collect();
    if !over.is_empty() {
        writeln!(out)?;
        for o in over {
            writeln!(out, "  Over-promising: {}", over_sentence(m.by_id[&o.agreement_id], &o.judgement))?;
        }
    }
    if !m.upcoming.is_empty() {
        // One phrase per promise — its next slot, then how many more fall
        // due in the 7 days — so a daily walk cannot push Sunday's swim off
        // the line (docs/design.md §5: what falls due in the next 7 days).
        let mut first: Vec<&crate::domain::report::Due> = Vec::new();
        let mut more: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        for d in &m.upcoming {
            let n = more.entry(d.agreement_id).or_insert(0);
            if *n == 0 {
                first.push(d);
            }
            *n += 1;
        }
        let parts: Vec<String> = first
            .iter()
            .map(|d| {
                let a = m.by_id[&d.agreement_id];
                let then = match more[&d.agreement_id] - 1 {
                    0 => String::new(),
                    n => format!(" (then {n} more)"),
                };
                format!("{} {}{then}", a.slug, due_words(d, a, m.now))
            })
            .collect();
        writeln!(out, "\n  Coming up: {}", parts.join(" · "))?;
    }
    write_talk(out, &m.talk, false, m.now)
}

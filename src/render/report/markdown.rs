//! The report in Markdown, to paste to the partner: the same model and
//! words as the terminal's, as headings, a table and lists.

use super::{HEADERS, averages_words, table, title};
use crate::domain::weekly::ReportModel;
use crate::error::Result;
use crate::render::due::due_words;
use crate::render::over::over_sentence;
use crate::render::voice::write_talk;
use crate::render::words::trust_legend;
use crate::render::{change, percent, trust2};
use std::io::Write;

/// People's words as Markdown text, never as markup: every character
/// Markdown (or the HTML it allows) would act on is backslash-escaped, and
/// a line break is a space, so a name or note stays on its line and in its
/// table cell.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            // Invisible marks that would reorder the line are shown, not obeyed.
            c if crate::domain::time::unsafe_char(c) => out.extend(c.escape_unicode()),
            _ => out.push(c),
        }
    }
    out
}

pub fn write_markdown(m: &ReportModel, out: &mut dyn Write) -> Result<()> {
    let (rows, notes) = table(m);
    writeln!(out, "## {}\n", title(m, md))?;
    if rows.is_empty() {
        writeln!(out, "Nothing was due and nothing was logged this week.\n")?;
    } else {
        writeln!(out, "| {} |", HEADERS.join(" | "))?;
        writeln!(out, "|{}", "---|".repeat(HEADERS.len()))?;
        for r in &rows {
            let cells: Vec<String> = r.iter().map(|c| md(c)).collect();
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
    for p in &m.people {
        let t = &p.trust;
        let averages = averages_words(m, p).map(|w| format!(" — {w}")).unwrap_or_default();
        writeln!(
            out,
            "- **{}**: trust {} {} · follow-through {}{averages}",
            md(&p.name),
            trust2(t.trust),
            change(t.trust_change),
            percent(t.rate)
        )?;
    }
    writeln!(
        out,
        "- **Together**: trust {} {} · follow-through {}\n",
        trust2(m.overall.trust),
        change(m.overall.trust_change),
        percent(m.overall.rate)
    )?;
    writeln!(out, "_{}_\n", trust_legend(m.trust_start))?;
    if !m.entries.is_empty() {
        writeln!(out, "### What happened\n")?;
        for (e, a) in &m.entries {
            let note = e.note.as_deref().map(|n| format!(" — {}", md(n))).unwrap_or_default();
            writeln!(
                out,
                "- {} · {} · {}{note}",
                crate::render::words::moment(e.at, a.zone, m.now),
                a.slug,
                e.outcome.name()
            )?;
        }
        writeln!(out)?;
    }
    let over: Vec<_> = m.over.iter().filter(|o| o.judgement.overpromised).collect();
    if !over.is_empty() {
        writeln!(out, "### Promises to renegotiate\n")?;
        for o in over {
            writeln!(out, "- {}", over_sentence(m.by_id[&o.agreement_id], &o.judgement))?;
        }
        writeln!(out)?;
    }
    if !m.upcoming.is_empty() {
        writeln!(out, "### Coming up\n")?;
        for d in &m.upcoming {
            let a = m.by_id[&d.agreement_id];
            writeln!(out, "- {} — {}", a.slug, due_words(d, a, m.now))?;
        }
    }
    write_talk(out, &m.talk, true, m.now)
}

//! The weekly report as one model (docs/design.md §5): everything `report`
//! shows, as data — the week's rows, per-person and overall trust with the
//! promises each person's figure averages, the week's entries, and, as of
//! now, over-promising and what falls due. Every format (text, Markdown, CSV,
//! JSON, and through the JSON the weekly page) renders this one value, so
//! none can disagree with another. No words here: `render::report` words it.

use super::report::{self, Book, Due, Over, OverPerson, Row, Summary, Trust, Week};
use super::settings::TrustParams;
use super::talk::{self, Talk};
use super::terms::{Period, Terms};
use super::time::{Instant, local_date};
use super::trust::Analysis;
use super::{Agreement, Entry};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

/// One agreement's line in the week.
pub struct RowModel<'a> {
    pub agreement: &'a Agreement,
    pub row: Row,
    /// A quota whose period runs past the week ("2 weekends a month") has
    /// nothing due in it: how its period stands instead.
    pub period: Option<PeriodStanding>,
}

/// "1 of 2 this month": the quota slot running at the week's end (or the
/// last one that overlaps the week), as known now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodStanding {
    pub kept: u32,
    pub promised: u32,
    pub period: Period,
    /// The first day of that period, in the agreement's zone.
    pub first: NaiveDate,
}

/// A miss scored in the week from a slot due before it: a schedule's slot
/// stays open for a late keep until the next occurrence's day, so Friday's
/// missed date night is scored when that window closes, in the next week's
/// trust (docs/design.md §2, §3). Named so the week's change can be added up.
pub struct Carried<'a> {
    pub agreement: &'a Agreement,
    pub due: Instant,
    pub closed: Instant,
    pub missed: u32,
}

/// A person's trust and what it is the mean of (docs/design.md §3: the mean
/// of the scores of their promises that have had an event by the week's end).
pub struct PersonModel<'a> {
    pub name: String,
    pub trust: Trust,
    /// Each promise the figure averages, with its trust at the week's end.
    pub averages: Vec<(&'a Agreement, f64)>,
}

/// The report: one week, read now.
pub struct ReportModel<'a> {
    pub week: Week,
    pub home: Tz,
    pub now: Instant,
    pub trust_start: f64,
    pub rows: Vec<RowModel<'a>>,
    pub carried: Vec<Carried<'a>>,
    pub people: Vec<PersonModel<'a>>,
    pub overall: Trust,
    /// Entries with `at` in the week, in time order, with their promise.
    pub entries: Vec<(&'a Entry, &'a Agreement)>,
    /// Every judged promise (JSON lists them all; the screens only those
    /// over-promised), and the people's totals.
    pub over: Vec<Over>,
    pub people_over: Vec<OverPerson>,
    /// What falls due in the next 7 days.
    pub upcoming: Vec<Due>,
    pub talk: Vec<Talk<'a>>,
    /// Each agreement's analysis, by id (entries' `late`, `counts`, `why`).
    pub analyses: HashMap<i64, &'a Analysis>,
    pub by_id: HashMap<i64, &'a Agreement>,
    /// The uuid of each entry that can be talked about (a repair names its entry by uuid).
    pub entry_uuids: HashMap<i64, String>,
}

/// What the report reads besides the book.
pub struct Inputs<'a> {
    pub week: &'a Week,
    pub home: Tz,
    pub now: Instant,
    pub params: &'a TrustParams,
    pub threshold: f64,
    pub by: Option<&'a str>,
    /// The entries with `at` in the week.
    pub week_entries: &'a [Entry],
    /// Every agreement and the entries that can be talked about (§10).
    pub agreements: &'a [Agreement],
    pub spoken: &'a [Entry],
}

/// What the report shows as of now, not as of its week: the over-promising
/// list and what falls due in the next 7 days.
pub fn as_of_now(
    book: &Book,
    now: Instant,
    home: Tz,
    threshold: f64,
    by: Option<&str>,
) -> (Vec<Over>, Vec<OverPerson>, Vec<Due>) {
    let (over, people_over) = report::overpromising(book, now, None, threshold, by);
    let until = super::time::Span::days(7).after(home, now);
    let upcoming: Vec<Due> = report::due(book, now, until)
        .into_iter()
        .filter(|d| by.is_none_or(|b| book.get(d.agreement_id).is_some_and(|i| i.agreement.by == b)))
        .collect();
    (over, people_over, upcoming)
}

pub fn build<'a>(book: &'a Book<'a>, i: &Inputs<'a>) -> ReportModel<'a> {
    let s: Summary = report::summary(book, i.week, i.params, i.by);
    let by_id = report::index(book);
    let rows = s
        .rows
        .iter()
        .map(|r| {
            let agreement = by_id[&r.agreement_id];
            let period = (r.open.is_none() && !r.standing && r.promised == 0)
                .then(|| period_standing(book, agreement, i.week))
                .flatten();
            RowModel { agreement, row: r.clone(), period }
        })
        .collect();
    let people = s
        .people
        .iter()
        .map(|(name, trust)| PersonModel {
            name: name.clone(),
            trust: trust.clone(),
            averages: averages(book, name, i),
        })
        .collect();
    let entry_by_id: HashMap<i64, &Entry> = i.week_entries.iter().map(|e| (e.id, e)).collect();
    let entries = s.entries.iter().filter_map(|id| entry_by_id.get(id)).map(|e| (*e, by_id[&e.agreement_id])).collect();
    let (over, people_over, upcoming) = as_of_now(book, i.now, i.home, i.threshold, i.by);
    let analyses: HashMap<i64, &Analysis> = book.items.iter().map(|it| (it.agreement.id, &it.analysis)).collect();
    let talk = talk::talk(i.agreements, i.spoken, &analyses, i.week.start, i.week.end, i.by);
    ReportModel {
        week: s.week,
        home: i.home,
        now: i.now,
        trust_start: i.params.start,
        rows,
        carried: carried(book, i.week, i.by),
        people,
        overall: s.overall,
        entries,
        over,
        people_over,
        upcoming,
        talk,
        analyses,
        by_id,
        entry_uuids: i.spoken.iter().map(|e| (e.id, e.uuid.clone())).collect(),
    }
}

/// The promises a person's figure averages: theirs with an event by the
/// week's end, in the book's order.
fn averages<'a>(book: &'a Book<'a>, name: &str, i: &Inputs) -> Vec<(&'a Agreement, f64)> {
    book.items
        .iter()
        .filter(|it| it.agreement.by == name)
        .map(|it| (it.agreement, it.analysis.score_at(i.params, i.week.end)))
        .filter(|(_, score)| score.has_events())
        .map(|(a, score)| (a, score.trust))
        .collect()
}

fn carried<'a>(book: &'a Book<'a>, week: &Week, by: Option<&str>) -> Vec<Carried<'a>> {
    book.items
        .iter()
        .filter(|it| by.is_none_or(|b| it.agreement.by == b))
        .flat_map(|it| {
            it.analysis
                .slots
                .iter()
                .filter(|t| t.closed && t.missed > 0)
                .filter(|t| t.slot.due <= week.start && week.start < t.slot.end && t.slot.end <= week.end)
                .map(|t| Carried { agreement: it.agreement, due: t.slot.due, closed: t.slot.end, missed: t.missed })
        })
        .collect()
}

fn period_standing(book: &Book, a: &Agreement, week: &Week) -> Option<PeriodStanding> {
    let item = book.get(a.id)?;
    let t = item
        .analysis
        .slots
        .iter()
        .rev()
        .find(|t| t.slot.start < week.end && t.slot.end > week.start && t.promised > 0)?;
    let Terms::Quota { period, .. } = t.slot.terms else { return None };
    Some(PeriodStanding {
        kept: t.kept.min(t.promised),
        promised: t.promised,
        period,
        first: local_date(a.zone, t.slot.start),
    })
}

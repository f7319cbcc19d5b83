//! The weekly summary, over-promising, what is due and the trend, as data —
//! pure functions of (agreements, entries, now). docs/design.md §3–§5.
//! Rendering lives in the commands; nothing here prints.

use crate::domain::settings::TrustParams;
use crate::domain::terms::Terms;
use crate::domain::time::{Instant, day_start, local_date, week_monday};
use crate::domain::trust::{self, Analysis, Group, Score};
use crate::domain::{Agreement, Fact, Outcome};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};

/// One agreement with its computed slots and events.
pub struct Item<'a> {
    pub agreement: &'a Agreement,
    pub analysis: Analysis,
    pub entries: Vec<Fact>,
}

impl<'a> Item<'a> {
    /// One agreement analysed from its own non-void facts, for the slots
    /// ending after `from` (`Book::window`).
    pub fn new(a: &'a Agreement, entries: Vec<Fact>, now: Instant, from: Instant, horizon: Instant) -> Item<'a> {
        Item { agreement: a, analysis: trust::analyze_window(a, &entries, now, from, horizon), entries }
    }
}

/// Every non-void agreement, analysed as of `now`.
pub struct Book<'a> {
    pub items: Vec<Item<'a>>,
}

impl<'a> Book<'a> {
    pub fn new(agreements: &'a [Agreement], facts: Vec<Fact>, now: Instant, horizon: Instant) -> Book<'a> {
        Book::window(agreements, facts, now, Instant::MIN_UTC, horizon)
    }

    /// Only the slots ending after `from` (and the facts given): for what is
    /// open or due, which needs no history.
    /// Takes the facts by value: each moves to its agreement, none is copied.
    pub fn window(
        agreements: &'a [Agreement],
        facts: Vec<Fact>,
        now: Instant,
        from: Instant,
        horizon: Instant,
    ) -> Book<'a> {
        // Agreement ids are small and dense: index by id rather than hash.
        let max = agreements.iter().map(|a| a.id).max().unwrap_or(0).max(0) as usize;
        let mut by_id: Vec<Vec<Fact>> = vec![Vec::new(); max + 1];
        for e in facts {
            if let Some(v) = usize::try_from(e.agreement_id).ok().and_then(|i| by_id.get_mut(i)) {
                v.push(e);
            }
        }
        let items = agreements
            .iter()
            .filter(|a| !a.is_void())
            .map(|a| {
                let entries =
                    usize::try_from(a.id).ok().and_then(|i| by_id.get_mut(i)).map(std::mem::take).unwrap_or_default();
                Item::new(a, entries, now, from, horizon)
            })
            .collect();
        Book { items }
    }

    /// A book of items analysed one at a time elsewhere (`Item::new`, then
    /// usually `Item::compact`).
    pub fn of(items: Vec<Item<'a>>) -> Book<'a> {
        Book { items }
    }

    pub fn get(&self, id: i64) -> Option<&Item<'a>> {
        self.items.iter().find(|i| i.agreement.id == id)
    }
}

/// One ISO week of the home zone: (start, end].
#[derive(Clone, Debug, PartialEq)]
pub struct Week {
    pub label: String,
    pub monday: NaiveDate,
    pub start: Instant,
    pub end: Instant,
}

impl Week {
    pub fn of(date: NaiveDate, home: Tz) -> Week {
        let monday = week_monday(date);
        let iso = monday.iso_week();
        Week {
            label: format!("{}-W{:02}", iso.year(), iso.week()),
            monday,
            start: day_start(home, monday),
            end: day_start(home, monday + Days::new(7)),
        }
    }

    pub fn containing(t: Instant, home: Tz) -> Week {
        Week::of(local_date(home, t), home)
    }

    pub fn previous(&self, home: Tz) -> Week {
        Week::of(self.monday - Days::new(7), home)
    }

    /// `this`, `last` (the default) or `2026-W47`.
    pub fn parse(s: Option<&str>, now: Instant, home: Tz) -> Result<Week, WeekError> {
        let this = Week::containing(now, home);
        match s.map(|s| s.trim().to_ascii_lowercase()) {
            None => Ok(this.previous(home)),
            Some(s) if s == "last" => Ok(this.previous(home)),
            Some(s) if s == "this" => Ok(this),
            Some(s) => {
                let bad = || WeekError::Unreadable(s.clone());
                let (y, w) = s.split_once("-w").ok_or_else(bad)?;
                if y.len() != 4 || w.is_empty() || w.len() > 2 {
                    return Err(bad());
                }
                let y: i32 = y.parse().map_err(|_| bad())?;
                let w: u32 = w.parse().map_err(|_| bad())?;
                if !(crate::domain::time::MIN_YEAR..=crate::domain::time::MAX_YEAR).contains(&y) {
                    return Err(bad());
                }
                let monday =
                    NaiveDate::from_isoywd_opt(y, w, Weekday::Mon).ok_or(WeekError::NoSuchWeek { year: y, week: w })?;
                Ok(Week::of(monday, home))
            }
        }
    }
}

/// Why a `--week` was refused; `Display` is the `error:` line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("could not read the week \"{}\"; use this, last or an ISO week like 2026-W47", crate::domain::time::printable(.0))]
    Unreadable(String),
    #[error("{year} has no ISO week {week}")]
    NoSuchWeek { year: i32, week: u32 },
}

/// One agreement's line in the weekly summary.
#[derive(Clone, Debug)]
pub struct Row {
    pub agreement_id: i64,
    pub promised: u32,
    pub kept: u32,
    pub broken: u32,
    pub excused: u32,
    pub missed: u32,
    pub extra: u32,
    pub late: u32,
    /// A slot due in the week still open: (kept so far, promised, due).
    pub open: Option<(u32, u32, Instant)>,
    pub trust: f64,
    pub trust_change: f64,
    pub rate: Option<f64>,
    pub standing: bool,
}

#[derive(Clone, Debug)]
pub struct Trust {
    pub trust: f64,
    pub trust_change: f64,
    pub rate: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct Summary {
    pub week: Week,
    pub rows: Vec<Row>,
    pub people: Vec<(String, Trust)>,
    pub overall: Trust,
    /// Entries with `at` in the week, in time order.
    pub entries: Vec<i64>,
}

/// Group trust at the end and start of a span: mean over agreements with events.
fn group_trust(items: &[&Item], p: &TrustParams, start: Instant, end: Instant) -> Trust {
    let at = |t: Instant| -> Vec<Score> { items.iter().map(|i| i.analysis.score_at(p, t)).collect() };
    let g_end = trust::group(&at(end));
    let g_start = trust::group(&at(start));
    let e = g_end.map(|g| g.trust).unwrap_or(p.start);
    let s = g_start.map(|g| g.trust).unwrap_or(p.start);
    Trust { trust: e, trust_change: e - s, rate: g_end.and_then(|g: Group| g.rate) }
}

pub fn summary(book: &Book, week: &Week, p: &TrustParams, by: Option<&str>) -> Summary {
    let items: Vec<&Item> = book.items.iter().filter(|i| by.is_none_or(|b| i.agreement.by == b)).collect();
    let mut rows = Vec::new();
    let mut entries = Vec::new();
    for item in &items {
        let a = &item.analysis;
        let in_week = |t: Instant| week.start < t && t <= week.end;
        let due: Vec<_> = a.slots.iter().filter(|s| in_week(s.slot.due)).collect();
        let week_entries: Vec<&Fact> = item.entries.iter().filter(|e| in_week(e.at)).collect();
        entries.extend(week_entries.iter().map(|e| (e.order(), e.id)));
        if due.is_empty() && week_entries.is_empty() {
            continue;
        }
        let standing = item.agreement.plan.versions_in_force().iter().all(|v| v.terms == Terms::Standing);
        let mut row = Row {
            agreement_id: item.agreement.id,
            promised: 0,
            kept: 0,
            broken: 0,
            excused: 0,
            missed: 0,
            extra: 0,
            late: week_entries.iter().filter(|e| a.late.contains(&e.id)).count() as u32,
            open: None,
            trust: 0.0,
            trust_change: 0.0,
            rate: None,
            standing,
        };
        if standing {
            // A disputed entry is held: it counts for nothing (§10); nor does
            // one after the promise's retirement (§9).
            let retired = item.agreement.plan.retired_from();
            let counted = |o: Outcome| {
                week_entries
                    .iter()
                    .filter(|e| e.outcome == o && !a.why.contains_key(&e.id))
                    .filter(|e| super::converge::excluded(item.agreement, retired, e.at).is_none())
                    .count() as u32
            };
            row.kept = counted(Outcome::Kept);
            row.broken = counted(Outcome::Broken);
        }
        for s in &due {
            row.promised += s.promised;
            row.kept += s.kept;
            row.broken += s.broken;
            row.excused += s.excused;
            row.missed += s.missed;
            row.extra += s.extra;
            if !s.closed && row.open.is_none() {
                row.open = Some((s.kept.min(s.promised), s.promised, s.slot.due));
            }
        }
        let end = a.score_at(p, week.end);
        let start = a.score_at(p, week.start);
        row.trust = end.trust;
        row.trust_change = end.trust - start.trust;
        row.rate = end.rate();
        rows.push(row);
    }
    entries.sort();
    let mut people: BTreeMap<String, Vec<&Item>> = BTreeMap::new();
    for i in &items {
        people.entry(i.agreement.by.clone()).or_default().push(i);
    }
    let people = people.into_iter().map(|(name, its)| (name, group_trust(&its, p, week.start, week.end))).collect();
    Summary {
        week: week.clone(),
        rows,
        people,
        overall: group_trust(&items, p, week.start, week.end),
        entries: entries.into_iter().map(|(_, id)| id).collect(),
    }
}

/// One agreement's over-promising judgement, with who made it.
#[derive(Clone, Debug)]
pub struct Over {
    pub agreement_id: i64,
    pub judgement: trust::Judgement,
}

#[derive(Clone, Debug)]
pub struct OverPerson {
    pub name: String,
    pub promised: u32,
    pub delivered: u32,
    pub rate: Option<f64>,
    pub overpromised: bool,
}

/// docs/design.md §4 over every live agreement (retired ones are no longer promised).
pub fn overpromising(
    book: &Book,
    now: Instant,
    n: Option<usize>,
    threshold: f64,
    by: Option<&str>,
) -> (Vec<Over>, Vec<OverPerson>) {
    let mut list = Vec::new();
    let mut people: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for item in book.items.iter().filter(|i| by.is_none_or(|b| i.agreement.by == b)) {
        if item.agreement.retired_at(now) {
            continue;
        }
        if let Some(j) = trust::judge(item.agreement, &item.analysis, now, n, threshold) {
            let e = people.entry(item.agreement.by.clone()).or_default();
            e.0 += j.promised;
            e.1 += j.delivered;
            list.push(Over { agreement_id: item.agreement.id, judgement: j });
        }
    }
    let people = people
        .into_iter()
        .map(|(name, (promised, delivered))| {
            let rate = (promised > 0).then(|| delivered as f64 / promised as f64);
            OverPerson { name, promised, delivered, rate, overpromised: rate.is_some_and(|r| r < threshold) }
        })
        .collect();
    (list, people)
}

/// A slot still to deliver.
#[derive(Clone, Debug)]
pub struct Due {
    pub agreement_id: i64,
    pub start: Instant,
    pub due: Instant,
    pub remaining: u32,
    pub promised: u32,
    pub kept: u32,
    pub terms: Terms,
}

/// Every slot not yet closed with units remaining whose due time is before
/// `until` — overdue ones and slots not yet begun included — sorted by due.
pub fn due(book: &Book, now: Instant, until: Instant) -> Vec<Due> {
    let mut out: Vec<Due> = book
        .items
        .iter()
        .flat_map(|item| {
            item.analysis
                .slots
                .iter()
                .filter(move |s| !s.closed && s.remaining > 0 && s.slot.due < until && s.slot.end > now)
                .map(move |s| Due {
                    agreement_id: item.agreement.id,
                    start: s.slot.start,
                    due: s.slot.due,
                    remaining: s.remaining,
                    promised: s.promised,
                    kept: s.kept,
                    terms: s.slot.terms,
                })
        })
        .collect();
    // Ties by the agreement's place in the book (created, then uuid), not its local id.
    out.sort_by_key(|d| d.due);
    out
}

/// Trust at the end of each of the `n` most recent ISO weeks of the home
/// zone, the current one included. `None` where nothing had been scored yet.
pub fn trend(items: &[&Item], p: &TrustParams, now: Instant, home: Tz, n: u32) -> Vec<(Week, Option<Group>)> {
    let mut weeks = vec![Week::containing(now, home)];
    for _ in 1..n.max(1) {
        let prev = weeks.last().expect("one").previous(home);
        weeks.push(prev);
    }
    weeks.reverse();
    let times: Vec<Instant> = weeks.iter().map(|w| w.end).collect();
    let per_item: Vec<Vec<Score>> = items.iter().map(|i| i.analysis.scores_at_each(p, &times)).collect();
    weeks
        .into_iter()
        .enumerate()
        .map(|(k, w)| {
            let scores: Vec<Score> = per_item.iter().map(|s| s[k]).collect();
            (w, trust::group(&scores))
        })
        .collect()
}

/// How far back facts are needed to know what is open at `now`: a year and a
/// bit (the longest period), or the start of any deadline still in force.
pub fn open_window(agreements: &[Agreement], now: Instant) -> Instant {
    let year = now - chrono::Duration::days(400);
    agreements
        .iter()
        .filter(|a| a.plan.versions.iter().any(|v| matches!(v.terms, Terms::Deadline { .. })))
        .map(|a| a.plan.versions.iter().map(|v| v.effective).min().unwrap_or(a.starts).min(a.starts))
        .fold(year, Instant::min)
}

/// Agreements by id, for rendering.
pub fn index<'a>(book: &'a Book) -> HashMap<i64, &'a Agreement> {
    book.items.iter().map(|i| (i.agreement.id, i.agreement)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_week_53_and_labels() {
        let z: Tz = "Europe/Berlin".parse().unwrap();
        let now = crate::domain::time::parse_rfc3339("2026-12-30T12:00:00+01:00").unwrap();
        let w = Week::parse(Some("this"), now, z).unwrap();
        assert_eq!(w.label, "2026-W53");
        assert_eq!(crate::domain::time::rfc3339(w.start, z), "2026-12-28T00:00:00+01:00");
        assert_eq!(crate::domain::time::rfc3339(w.end, z), "2027-01-04T00:00:00+01:00");
        let w = Week::parse(Some("2027-W01"), now, z).unwrap();
        assert_eq!(w.monday, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
        assert_eq!(Week::parse(Some("2027-W53"), now, z).unwrap_err(), WeekError::NoSuchWeek { year: 2027, week: 53 });
        assert_eq!(Week::parse(Some("2027-W53"), now, z).unwrap_err().to_string(), "2027 has no ISO week 53");
        assert_eq!(
            Week::parse(Some(" Soon "), now, z).unwrap_err().to_string(),
            "could not read the week \"soon\"; use this, last or an ISO week like 2026-W47"
        );
        assert_eq!(Week::parse(None, now, z).unwrap().label, "2026-W52");
    }
}

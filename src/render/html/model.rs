//! The weekly page's model: `report --json` as serde reads it back, and the
//! few phrases the command adds (`Page`).

use crate::render::chart::Chart;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Debug)]
pub struct Model {
    pub week: String,
    pub start: String,
    pub end: String,
    pub agreements: Vec<Row>,
    pub people: Vec<Person>,
    pub overall: TrustFig,
    pub entries: Vec<EntryView>,
    pub overpromising: Overpromising,
    pub upcoming: Vec<DueView>,
    /// "To talk about" (docs/design.md §10), once the report carries it.
    #[serde(default)]
    pub talk: Vec<Value>,
}

#[derive(Deserialize, Debug)]
pub struct Row {
    pub slug: String,
    pub by: String,
    pub to: String,
    pub promised: u32,
    pub kept: u32,
    pub broken: u32,
    pub excused: u32,
    pub missed: u32,
    pub extra: u32,
    pub late: u32,
    pub open: Option<Open>,
    pub trust: f64,
    pub trust_change: f64,
    pub rate: Option<f64>,
}

#[derive(Deserialize, Debug)]
pub struct Open {
    pub kept: u32,
    pub promised: u32,
    pub due: String,
}

#[derive(Deserialize, Debug)]
pub struct Person {
    pub name: String,
    #[serde(flatten)]
    pub fig: TrustFig,
}

#[derive(Deserialize, Debug)]
pub struct TrustFig {
    pub trust: f64,
    pub trust_change: f64,
    pub rate: Option<f64>,
}

#[derive(Deserialize, Debug)]
pub struct EntryView {
    pub id: i64,
    pub agreement: String,
    pub outcome: String,
    pub at: String,
    pub note: Option<String>,
    pub by: String,
    #[serde(default)]
    pub late: Option<bool>,
    #[serde(default)]
    pub counts: Option<bool>,
    #[serde(default)]
    pub why: Option<String>,
}

#[derive(Deserialize, Debug)]
pub struct Overpromising {
    pub agreements: Vec<OverAgreement>,
    pub people: Vec<OverPerson>,
}

#[derive(Deserialize, Debug)]
pub struct OverAgreement {
    pub slug: String,
    pub by: String,
    pub terms: String,
    pub slots: u32,
    pub promised: u32,
    pub delivered: u32,
    pub rate: Option<f64>,
    pub overpromised: bool,
    pub suggested_terms: Option<String>,
}

#[derive(Deserialize, Debug)]
pub struct OverPerson {
    pub name: String,
    pub promised: u32,
    pub delivered: u32,
    pub rate: Option<f64>,
    pub overpromised: bool,
}

#[derive(Deserialize, Debug)]
pub struct DueView {
    pub slug: String,
    pub due: String,
    pub remaining: u32,
    pub kind: String,
}

/// One week of the page: its model and its heading.
pub struct WeekPart {
    pub model: Model,
    /// "Week 47 · 16–22 Nov 2026".
    pub title: String,
}

/// Everything the page shows.
pub struct Page {
    /// "Week 47 · 16–22 Nov 2026" or "Weeks 44–47 · 26 Oct – 22 Nov 2026".
    pub title: String,
    /// "Alex & Sam".
    pub names: String,
    /// "Mon 23 Nov 2026 18:00".
    pub made: String,
    /// Oldest first; the last one is the week asked for.
    pub weeks: Vec<WeekPart>,
    /// Over-promising sentences, one per element of the last week's
    /// `overpromising.agreements` (the terminal's wording).
    pub over_words: Vec<String>,
    /// Coming-up phrases, one per element of the last week's `upcoming`.
    pub upcoming_words: Vec<String>,
    /// Slugs of standing promises (nothing is due; entries are counted).
    pub standing: Vec<String>,
    /// Promise texts by slug, as they were said.
    pub texts: Vec<(String, String)>,
    /// Each promise's zone by slug: a day's end where midnight is skipped
    /// (America/Santiago's spring) reads 01:00 of the next day.
    pub zones: Vec<(String, chrono_tz::Tz)>,
    pub chart: Chart,
    pub trust_start: f64,
}

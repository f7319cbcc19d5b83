//! Trust and follow-through against an independent fold of docs/design.md
//! §2–§3, for random entries in six zones across clock changes. Cases:
//! `TROTH_CLOCK_CASES` (default 6).

use super::{by_slug, r4, s};
use crate::support::{TestEnv, num};
use chrono::{DateTime, Utc};

/// broken, on the daily or the standing promise.
type RandomEntry = (u32, u32, u32, bool, bool);

/// A logged entry: on the daily promise?, kept?, at.
type Logged = (bool, bool, DateTime<Utc>);

/// The first instant of a local day in the six zones here (none has its
/// midnight in a gap, so the midnight exists; in an overlap, the first).
fn midnight(tz: chrono_tz::Tz, d: chrono::NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    tz.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap()).earliest().unwrap().to_utc()
}

/// docs/design.md §2–§3 for a daily quota and a standing promise, folded
/// independently of troth: (daily trust, daily rate, standing trust).
fn model(
    tz: chrono_tz::Tz,
    start: chrono::NaiveDate,
    now: DateTime<Utc>,
    entries: &[Logged],
) -> (f64, Option<f64>, f64) {
    // Events: (time, misses first, logged order, kept?).
    let mut events: Vec<(DateTime<Utc>, u8, usize, bool)> = Vec::new();
    let mut day = start;
    while midnight(tz, day) <= now {
        let (a, b) = (midnight(tz, day), midnight(tz, day.succ_opt().unwrap()));
        let inside: Vec<(usize, &Logged)> =
            entries.iter().enumerate().filter(|(_, e)| e.0 && a <= e.2 && e.2 < b).collect();
        let mut sorted = inside.clone();
        sorted.sort_by_key(|(i, e)| (e.2, *i));
        let mut kept = 0;
        for (i, e) in &sorted {
            if e.1 {
                if kept == 0 {
                    events.push((e.2, 1, *i, true));
                }
                kept += 1;
            } else {
                events.push((e.2, 1, *i, false));
            }
        }
        let broken = sorted.iter().filter(|(_, e)| !e.1).count();
        if b <= now && kept == 0 && broken == 0 {
            events.push((b, 0, 0, false));
        }
        day = day.succ_opt().unwrap();
    }
    events.sort_by_key(|e| (e.0, e.1, e.2));
    let step = |s: f64, kept: bool| if kept { s + 0.05 * (1.0 - s) } else { s - 0.2 * s };
    let daily = events.iter().fold(0.5, |s, e| step(s, e.3));
    let kept = events.iter().filter(|e| e.3).count();
    let rate = (!events.is_empty()).then(|| kept as f64 / events.len() as f64);
    // Standing: every entry, but at most one kept a local day.
    let mut standing: Vec<(usize, &Logged)> = entries.iter().enumerate().filter(|(_, e)| !e.0).collect();
    standing.sort_by_key(|(i, e)| (e.2, *i));
    let mut days = std::collections::HashSet::new();
    let mut s = 0.5;
    for (_, e) in standing {
        if e.1 && !days.insert(e.2.with_timezone(&tz).date_naive()) {
            continue;
        }
        s = step(s, e.1);
    }
    (daily, rate, s)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: std::env::var("TROTH_CLOCK_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(6),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Random kept and broken entries — at midnight, in the small hours a
    /// clock change skips or repeats, late at night — on a daily promise and
    /// a standing one, over weeks that hold a clock change, in each of the
    /// six zones: troth's trust and follow-through equal an independent
    /// fold of docs/design.md §2–§3.
    #[test]
    fn trust_equals_an_independent_fold_in_every_zone(
        zone in 0usize..6,
        month in proptest::sample::select(vec![3u32, 4, 9, 10, 11]),
        first in 1u32..20,
        days in 4u32..16,
        entries in proptest::collection::vec(
            (0u32..16, proptest::sample::select(vec![0u32, 1, 2, 3, 12, 23]),
             proptest::sample::select(vec![0u32, 15, 30, 59]), proptest::bool::weighted(0.75), proptest::bool::ANY),
            0..24),
    ) {
        use chrono::TimeZone;
        let name = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "Australia/Lord_Howe", "UTC"][zone];
        let tz: chrono_tz::Tz = name.parse().unwrap();
        let start = chrono::NaiveDate::from_ymd_opt(2026, month, first).unwrap();
        let local = |d: chrono::NaiveDate, h: u32| tz.from_local_datetime(&d.and_hms_opt(h, 0, 0).unwrap()).earliest().unwrap();
        let mut env = TestEnv::new(name, &local(start, 9).to_rfc3339());
        env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
        env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", &start.to_string()]);
        env.ok(&["promise", "Call if late", "--slug", "late", "--starts", &start.to_string()]);
        let now = local(start + chrono::Days::new(days as u64), 12);
        env.set_now(&now.to_rfc3339());
        let mut logged = Vec::new();
        let typed: Vec<&RandomEntry> = entries.iter().filter(|e| e.0 < days).collect();
        for (d, h, m, kept, daily) in typed {
            let at = format!("{} {h:02}:{m:02}", start + chrono::Days::new(*d as u64));
            let slug = if *daily { "walk" } else { "late" };
            let e = env.json(&[if *kept { "kept" } else { "broke" }, slug, "--at", &at]);
            let at = DateTime::parse_from_rfc3339(s(&e["at"])).unwrap().to_utc();
            logged.push((*daily, *kept, at));
        }
        let (daily, rate, standing) = model(tz, start, now.to_utc(), &logged);
        let list = env.json(&["list"]);
        let walk = by_slug(&list, "walk");
        proptest::prop_assert_eq!(num(&walk["trust"]), r4(daily), "{} from {}: {:?}", name, start, logged);
        proptest::prop_assert_eq!(walk["rate"].as_f64(), rate.map(r4));
        proptest::prop_assert_eq!(num(&by_slug(&list, "late")["trust"]), r4(standing));
    }
}

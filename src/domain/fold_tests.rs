//! The summaries read from compacted items (`domain::fold`, what the
//! commands now build one promise at a time) equal those read from the whole
//! analysis (the old collect-everything book), on random synthetic ledgers:
//! the weekly summary, over-promising, what is due and the trend.

use super::fold::Keep;
use super::report::{self, Book, Item, Week};
use super::time::Instant;
use super::voice::VerdictKind;
use super::{Agreement, Fact, Outcome, TrustParams};
use chrono::Duration;
use chrono_tz::Europe::Berlin;
use proptest::prelude::*;

const P: TrustParams = TrustParams { start: 0.5, gain: 0.05, loss: 0.20 };
const TERMS: [&str; 7] =
    ["2/month", "every mon,wed,fri 07:30", "1/day", "3/week", "standing", "every 2 weeks sat", "by 2026-09-01"];

fn start() -> Instant {
    super::time::parse_rfc3339("2024-03-04T00:00:00+01:00").unwrap()
}

fn agreement(id: i64, kind: usize, by: &str) -> Agreement {
    super::test_support::agreement(id, TERMS[kind], by, Berlin, start() + Duration::days(id * 3))
}

/// (agreement index, outcome, hours after the start, logged hours later, verdict)
type Raw = (usize, u8, i64, i64, u8);

fn facts(agreements: &[Agreement], raw: &[Raw]) -> Vec<Fact> {
    let mut out = Vec::new();
    for (i, &(k, o, h, late, v)) in raw.iter().enumerate() {
        let a = &agreements[k % agreements.len()];
        let at = a.starts + Duration::hours(h);
        out.push(Fact {
            id: i as i64 + 1,
            agreement_id: a.id,
            outcome: [Outcome::Kept, Outcome::Kept, Outcome::Broken, Outcome::Excused][o as usize % 4],
            at,
            logged_at: at + Duration::hours(late),
            uuid: (i as u128) * 7919 % 1000,
            verdict: [None, None, None, Some(VerdictKind::Disputed), Some(VerdictKind::Confirmed)][v as usize % 5],
        });
    }
    out
}

fn compacted<'a>(agreements: &'a [Agreement], all: &[Fact], now: Instant, horizon: Instant, keep: &Keep) -> Book<'a> {
    let items = agreements
        .iter()
        .map(|a| {
            let mine: Vec<Fact> = all.iter().filter(|f| f.agreement_id == a.id).cloned().collect();
            Item::new(a, mine, now, Instant::MIN_UTC, horizon).compact(keep, &P)
        })
        .collect();
    Book::of(items)
}

fn ledger() -> impl Strategy<Value = (Vec<usize>, Vec<Raw>, i64, i64)> {
    (
        prop::collection::vec(0usize..TERMS.len(), 1..5),
        prop::collection::vec((0usize..5, 0u8..4, 0i64..24 * 900, 0i64..100, 0u8..5), 0..400),
        0i64..900,
        -60i64..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn compacted_summaries_equal_the_whole_analysis((kinds, raw, days, week_back) in ledger()) {
        let agreements: Vec<Agreement> =
            kinds.iter().enumerate().map(|(i, k)| agreement(i as i64 + 1, *k, ["Alex", "Sam"][i % 2])).collect();
        let all = facts(&agreements, &raw);
        let now = start() + Duration::days(days) + Duration::hours(13);
        let week = Week::containing(now + Duration::weeks(week_back), Berlin);
        // The report: its week, and what is open now.
        let horizon = (now + Duration::days(8)).max(week.end);
        let full = Book::new(&agreements, all.clone(), now, horizon);
        let small = compacted(&agreements, &all, now, horizon, &Keep::from(week.start.min(now)));
        for by in [None, Some("Alex")] {
            prop_assert_eq!(format!("{:?}", report::summary(&full, &week, &P, by)),
                            format!("{:?}", report::summary(&small, &week, &P, by)));
            prop_assert_eq!(format!("{:?}", report::overpromising(&full, now, None, 0.8, by)),
                            format!("{:?}", report::overpromising(&small, now, None, 0.8, by)));
        }
        let until = now + Duration::days(7);
        prop_assert_eq!(format!("{:?}", report::due(&full, now, until)), format!("{:?}", report::due(&small, now, until)));
        // `overpromising --slots 12` and the trend over 20 weeks.
        let full = Book::new(&agreements, all.clone(), now, now);
        let keep = Keep { judged: 28, ..Keep::from(now) };
        let small = compacted(&agreements, &all, now, now, &keep);
        prop_assert_eq!(format!("{:?}", report::overpromising(&full, now, Some(12), 0.8, None)),
                        format!("{:?}", report::overpromising(&small, now, Some(12), 0.8, None)));
        // `list`: trust now, and the last deadline slot (is it done?).
        let small = compacted(&agreements, &all, now, now, &Keep { judged: 1, ..Keep::from(now) });
        for (f, s) in full.items.iter().zip(&small.items) {
            prop_assert_eq!(f.analysis.score_at(&P, now), s.analysis.score_at(&P, now));
            let last = |b: &Item| format!("{:?}", b.analysis.slots.iter().rev()
                .find(|t| matches!(t.slot.terms, super::terms::Terms::Deadline { .. })));
            prop_assert_eq!(last(f), last(s));
            prop_assert_eq!(&f.analysis.late, &s.analysis.late);
        }
        let earliest = Week::containing(now, Berlin).start - Duration::weeks(20);
        let small = compacted(&agreements, &all, now, now, &Keep { trust_from: earliest.min(now), judged: 1, ..Keep::from(now) });
        let (f, s): (Vec<&Item>, Vec<&Item>) = (full.items.iter().collect(), small.items.iter().collect());
        prop_assert_eq!(format!("{:?}", report::trend(&f, &P, now, Berlin, 20)),
                        format!("{:?}", report::trend(&s, &P, now, Berlin, 20)));
    }
}

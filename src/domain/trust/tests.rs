//! The model's steps on hand-worked numbers, and its invariants (property-tested).

use super::*;
use crate::domain::terms::Period;
use proptest::prelude::*;

const P: TrustParams = TrustParams { start: 0.5, gain: 0.05, loss: 0.20 };

#[test]
fn one_step_each_way() {
    assert!((step(0.5, EventKind::Kept, &P) - 0.525).abs() < 1e-12);
    assert!((step(0.5, EventKind::Broken, &P) - 0.4).abs() < 1e-12);
    assert!((step(0.5, EventKind::Missed, &P) - 0.4).abs() < 1e-12);
}

#[test]
fn eighty_percent_holds_trust_level() {
    // gain·p·(1−s) = loss·(1−p)·s at p = 0.8 gives s = 0.5.
    let (g, l, p) = (P.gain, P.loss, 0.8);
    let s = g * p / (g * p + l * (1.0 - p));
    assert!((s - 0.5).abs() < 1e-12);
}

#[test]
fn the_documents_example_suggests_two_a_month() {
    let t = Terms::Quota { count: 4, period: Period::Month };
    assert_eq!(suggest(&t, 14, 24), Some(Terms::Quota { count: 2, period: Period::Month }));
    // 1/day delivered 2 of 30 → 0/day → 2×7/30 = 0/week → 2×28/30 = 1/month.
    let t = Terms::Quota { count: 1, period: Period::Day };
    assert_eq!(suggest(&t, 2, 30), Some(Terms::Quota { count: 1, period: Period::Month }));
    assert_eq!(suggest(&t, 0, 30), None);
}

proptest! {
    #[test]
    fn trust_stays_in_unit_interval(kinds in prop::collection::vec(0u8..3, 0..300), start in 0.0f64..=1.0,
                                    gain in 0.001f64..=1.0, loss in 0.001f64..=1.0) {
        let p = TrustParams { start, gain, loss };
        let mut s = start;
        for k in kinds {
            let kind = [EventKind::Kept, EventKind::Broken, EventKind::Missed][k as usize];
            let next = step(s, kind, &p);
            prop_assert!((0.0..=1.0).contains(&next));
            if kind == EventKind::Kept { prop_assert!(next >= s); } else { prop_assert!(next <= s); }
            s = next;
        }
    }

    #[test]
    fn group_mean_lies_between_its_members(trusts in prop::collection::vec(0.0f64..=1.0, 1..20)) {
        let scores: Vec<Score> = trusts.iter().map(|&t| Score { trust: t, kept: 1, total: 2 }).collect();
        let g = group(&scores).unwrap();
        let lo = trusts.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = trusts.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(g.trust >= lo - 1e-12 && g.trust <= hi + 1e-12);
    }
}

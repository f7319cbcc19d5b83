//! How times and figures read on the screens: a midnight entry with its
//! time, the two 02:30s of a fall-back night told apart, quiet hours that end
//! in the overlap, exact halves rounded as by hand.

use super::{by_slug, r4, trust};
use crate::support::{TestEnv, num};

#[test]
fn show_gives_an_entry_at_midnight_its_time() {
    // A miss is shown on the last day of its slot (24:00 is that day); an
    // entry at 00:00 is the start of the next day, and says so.
    let mut env = TestEnv::new("Pacific/Auckland", "2026-04-01T12:00:00+13:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Walk", "--terms", "daily", "--slug", "walk", "--starts", "2026-04-01"]);
    env.set_now("2026-04-06T12:00:00+12:00");
    env.ok(&["broke", "walk", "--at", "2026-04-03 00:00"]);
    env.ok(&["kept", "walk", "--at", "2026-04-03 00:00"]);
    let show = env.ok(&["show", "walk"]);
    assert!(show.contains("Thu 2 Apr   ") && show.contains("missed"), "{show}");
    assert!(show.contains("Fri 3 Apr 00:00   broken"), "{show}");
    assert!(show.contains("Fri 3 Apr 00:00   kept"), "{show}");
    // m m (b k in one slot: delivered, not missed) m m:
    // 0.5 → 0.4 → 0.32 → 0.256 → 0.2932 → 0.23456 → 0.18765; 1 of 6.
    let list = env.json(&["list"]);
    assert_eq!(num(&by_slug(&list, "walk")["trust"]), r4(trust("mmbkmm")));
    assert_eq!(num(&by_slug(&list, "walk")["rate"]), r4(1.0 / 6.0));
}

#[test]
fn quiet_hours_that_end_in_the_fall_back_overlap() {
    // Berlin, Sun 25 Oct 2026, quiet 01:00–02:30. "every sun 04:00" with a
    // 2h lead is due to remind at 04:00 +01:00 − 2h = 02:00 +01:00 (01:00Z):
    // the wall clock's second pass through 02:00, inside the quiet hours.
    // They end when the wall clock next reads 02:30: 02:30 +01:00 (01:30Z),
    // before the 04:00 due time, so that is when it is sent.
    let mut env = TestEnv::new("Europe/Berlin", "2026-10-20T12:00:00+02:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["config", "remind.quiet", "01:00-02:30"]);
    let out = env.ok(&["promise", "Early run", "--slug", "run", "--terms", "every sun 04:00", "--remind", "2h"]);
    assert!(out.contains("first reminder Sunday 02:30 +01:00, after the quiet hours"), "{out}");
    env.set_now("2026-10-25T02:29:00+01:00");
    let out = env.ok(&["remind", "--dry-run"]);
    assert!(out.contains("the next reminder is due Sun 25 Oct 02:30 +01:00"), "{out}");
    env.set_now("2026-10-25T02:30:00+01:00");
    assert!(env.ok(&["remind", "--dry-run"]).contains("would remind  Early run"));
}

#[test]
fn an_exact_half_is_rounded_up_on_every_screen() {
    // trust.gain 0.25: one kept from 0.5 is 0.5 + 0.25 × 0.5 = 0.625
    // exactly; trust.loss 0.25: two broken is 0.5 × 0.75² = 0.28125
    // exactly. Rounded as a person rounds (and as JSON's 4 places and the
    // percentages are): 0.63 and 0.2813 — not the "0.62" / "0.2812" of
    // rounding an exact half to even.
    let mut env = TestEnv::new("UTC", "2026-01-01T09:00:00+00:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["config", "trust.gain", "0.25"]);
    env.ok(&["config", "trust.loss", "0.25"]);
    env.ok(&["promise", "Call if late", "--slug", "up"]);
    env.ok(&["promise", "Tell me first", "--slug", "down"]);
    env.set_now("2026-01-08T09:00:00+00:00");
    env.ok(&["kept", "up", "--at", "2026-01-02 10:00"]);
    env.ok(&["broke", "down", "--at", "2026-01-02 10:00"]);
    env.ok(&["broke", "down", "--at", "2026-01-03 10:00"]);
    let list = env.json(&["list"]);
    assert_eq!(num(&by_slug(&list, "up")["trust"]), 0.625);
    assert_eq!(num(&by_slug(&list, "down")["trust"]), 0.2813);
    let text = env.ok(&["list"]);
    assert!(text.lines().any(|l| l.contains(" up ") && l.contains("0.63")), "{text}");
    assert!(env.ok(&["show", "up"]).contains("0.50 → 0.63"));
    let trend = env.ok(&["trend", "down", "--weeks", "2"]);
    assert!(trend.contains("0.2813"), "{trend}");
    // Overall: (0.625 + 0.28125) / 2 = 0.453125 → 0.4531.
    let one = env.ok(&["trend", "--weeks", "1"]);
    assert!(one.contains("0.4531"), "{one}");
    // One week is named as one: "week 2", not "weeks 2–2".
    assert!(one.starts_with("overall trust, week 2:"), "{one}");
}

#[test]
fn kept_at_a_time_the_clocks_skip_or_repeat_says_how_it_was_read() {
    // New York: Sun 8 Mar 2026 02:00 → 03:00 (02:30 is read with the offset
    // before the gap, -05:00: 07:30Z = 03:30 EDT); Sun 1 Nov 02:00 → 01:00
    // (01:30 happens twice: the first is 01:30 -04:00, the second 06:30Z).
    let mut env = TestEnv::new("America/New_York", "2026-03-01T12:00:00-05:00");
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Call if late", "--slug", "late"]);
    env.set_now("2026-11-02T12:00:00-05:00");
    let out = env.ok(&["kept", "late", "--at", "2026-03-08 02:30"]);
    assert!(
        out.contains("note: Sun 8 Mar 02:30 does not exist in America/New_York (the clocks go forward); read as 03:30"),
        "{out}"
    );
    let out = env.ok(&["kept", "late", "--at", "2026-11-01 01:30"]);
    assert!(out.contains("read as the first, 01:30 -04:00"), "{out}");
    assert!(out.contains("for the second, give its offset: 2026-11-01T01:30:00-05:00"), "{out}");
    // With the offset, or as JSON, nothing more is said: the time is exact.
    assert!(!env.ok(&["kept", "late", "--at", "2026-11-01T01:30:00-05:00"]).contains("note:"));
    let json = env.json(&["kept", "late", "--at", "2026-03-08 02:30"]);
    assert_eq!(json["at"], "2026-03-08T03:30:00-04:00");
    // The log tells the two 01:30s apart.
    let log = env.ok(&["log", "late"]);
    assert!(log.contains("Sun 1 Nov 01:30 -04:00") && log.contains("Sun 1 Nov 01:30 -05:00"), "{log}");
}

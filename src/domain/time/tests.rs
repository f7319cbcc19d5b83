//! Unit tests of time: WHEN and DURATION parsing, the RFC 5545 rule, the year limits.

use super::*;

fn tz(s: &str) -> Tz {
    s.parse().unwrap()
}

#[test]
fn spring_forward_gap_takes_the_offset_before() {
    // Berlin 2026-03-29 02:30 does not exist; +01:00 applies → 01:30Z = 03:30 CEST.
    let t = resolve_local(tz("Europe/Berlin"), parse_local_datetime("2026-03-29 02:30").unwrap());
    assert_eq!(rfc3339(t, tz("Europe/Berlin")), "2026-03-29T03:30:00+02:00");
    let t = resolve_local(tz("America/New_York"), parse_local_datetime("2026-03-08 02:15").unwrap());
    assert_eq!(rfc3339(t, tz("America/New_York")), "2026-03-08T03:15:00-04:00");
}

#[test]
fn fall_back_overlap_takes_the_first() {
    let t = resolve_local(tz("Europe/Berlin"), parse_local_datetime("2026-10-25 02:30").unwrap());
    assert_eq!(rfc3339(t, tz("Europe/Berlin")), "2026-10-25T02:30:00+02:00");
    let t = resolve_local(tz("America/New_York"), parse_local_datetime("2026-11-01 01:30").unwrap());
    assert_eq!(rfc3339(t, tz("America/New_York")), "2026-11-01T01:30:00-04:00");
}

#[test]
fn midnight_in_a_gap_starts_at_the_first_instant() {
    // Santiago springs forward at 00:00 → 01:00 on 2026-09-06.
    let z = tz("America/Santiago");
    let t = day_start(z, NaiveDate::from_ymd_opt(2026, 9, 6).unwrap());
    assert_eq!(rfc3339(t, z), "2026-09-06T01:00:00-03:00");
}

#[test]
fn a_day_across_a_clock_change_is_23_or_25_hours() {
    let z = tz("Europe/Berlin");
    let d = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
    assert_eq!((day_end(z, d) - day_start(z, d)).num_hours(), 23);
    let d = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
    assert_eq!((day_end(z, d) - day_start(z, d)).num_hours(), 25);
    let now = parse_rfc3339("2026-10-25T12:00:00+01:00").unwrap();
    assert_eq!((now - Span::days(1).before(z, now)).num_hours(), 25);
}

#[test]
fn when_forms() {
    let z = tz("Europe/Berlin");
    let now = parse_rfc3339("2026-11-23T15:00:00+01:00").unwrap();
    let p = |s, m| parse_when(s, now, z, m).map(|t| rfc3339(t, z));
    assert_eq!(p("2026-11-20", DateMeaning::Noon).unwrap(), "2026-11-20T12:00:00+01:00");
    assert_eq!(p("2026-11-20", DateMeaning::Start).unwrap(), "2026-11-20T00:00:00+01:00");
    assert_eq!(p("2026-11-20", DateMeaning::End).unwrap(), "2026-11-21T00:00:00+01:00");
    assert_eq!(p("2026-11-20 19:30", DateMeaning::Noon).unwrap(), "2026-11-20T19:30:00+01:00");
    assert_eq!(p("2026-11-20T19:30:00Z", DateMeaning::Noon).unwrap(), "2026-11-20T20:30:00+01:00");
    assert_eq!(p("today", DateMeaning::Noon).unwrap(), "2026-11-23T15:00:00+01:00");
    assert_eq!(p("today", DateMeaning::Start).unwrap(), "2026-11-23T00:00:00+01:00");
    assert_eq!(p("yesterday", DateMeaning::Noon).unwrap(), "2026-11-22T15:00:00+01:00");
    assert_eq!(p("3d ago", DateMeaning::Noon).unwrap(), "2026-11-20T15:00:00+01:00");
    assert_eq!(p("2h ago", DateMeaning::Noon).unwrap(), "2026-11-23T13:00:00+01:00");
    assert!(p("0000-01-01", DateMeaning::Noon).is_err());
    assert!(p("9999-01-01", DateMeaning::Noon).is_err());
    assert!(p("fortnight", DateMeaning::Noon).is_err());
    // Today's date: noon once noon has passed, now before it (never a future time).
    assert_eq!(p("2026-11-23", DateMeaning::Noon).unwrap(), "2026-11-23T12:00:00+01:00");
    let morning = parse_rfc3339("2026-11-23T09:15:00+01:00").unwrap();
    assert_eq!(
        rfc3339(parse_when("2026-11-23", morning, z, DateMeaning::Noon).unwrap(), z),
        "2026-11-23T09:15:00+01:00"
    );
    assert_eq!(
        rfc3339(parse_when("2026-11-24", morning, z, DateMeaning::Noon).unwrap(), z),
        "2026-11-24T12:00:00+01:00"
    );
}

#[test]
fn durations() {
    assert_eq!(parse_duration("30m").unwrap(), Span { days: 0, minutes: 30 });
    assert_eq!(parse_duration("1h30m").unwrap(), Span { days: 0, minutes: 90 });
    assert_eq!(parse_duration("1w").unwrap(), Span { days: 7, minutes: 0 });
    assert_eq!(parse_duration("1h30m").unwrap().to_string(), "1h30m");
    assert_eq!(parse_duration("3d").unwrap().to_string(), "3d");
    assert_eq!(parse_duration("2y"), Err(DurationError::Unreadable("2y".into())));
    assert_eq!(parse_duration("9999w"), Err(DurationError::TooLong("9999w".into())));
    assert_eq!(
        DurationError::TooLong("9999w".into()).to_string(),
        "the duration \"9999w\" is longer than troth handles (at most 10 years)"
    );
    for bad in ["", "m", "1", "1x", "-1d", "1d1d", "99999999d", "1.5h"] {
        assert!(parse_duration(bad).is_err(), "{bad}");
    }
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn when_never_panics(s in "\\PC{0,40}", secs in 0i64..32_000_000_000) {
        let now = chrono::DateTime::from_timestamp(secs, 0).unwrap();
        for m in [DateMeaning::Noon, DateMeaning::Start, DateMeaning::End] {
            if let Ok(t) = parse_when(&s, now, tz("Europe/Berlin"), m) {
                prop_assert!((MIN_YEAR..=MAX_YEAR).contains(&t.with_timezone(&tz("Europe/Berlin")).year()));
            }
        }
    }

    #[test]
    // From 1970-01-02 UTC: the first hours of 1970 in UTC are still 1969 in
    // New York, outside the years troth reads (docs/cli.md limits).
    fn when_reads_back_what_troth_prints(secs in 86_400i64..32_000_000_000, zone in prop::sample::select(vec![
        "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"])) {
        let z = tz(zone);
        let t = chrono::DateTime::from_timestamp(secs, 0).unwrap();
        let now = chrono::DateTime::from_timestamp(0, 0).unwrap();
        prop_assert_eq!(parse_when(&rfc3339(t, z), now, z, DateMeaning::Noon), Ok(t));
    }

    #[test]
    fn duration_never_panics(s in "\\PC{0,24}") {
        let _ = parse_duration(&s);
    }

    #[test]
    fn duration_reads_back_what_troth_prints(days in 0i64..3000, minutes in 0i64..(366 * 24 * 60)) {
        let span = Span { days, minutes };
        prop_assert_eq!(parse_duration(&span.to_string()), Ok(span));
    }
}

#[test]
fn posix_tz_is_refused_with_a_hint() {
    let posix = "CET-1CEST,M3.5.0,M10.5.0/3";
    assert_eq!(parse_zone(posix), Err(ZoneError::Posix(posix.into())));
    assert!(parse_zone(posix).unwrap_err().to_string().contains("POSIX"));
    assert_eq!(parse_zone("Mars/Olympus"), Err(ZoneError::Unknown("Mars/Olympus".into())));
    assert_eq!(parse_zone(" "), Err(ZoneError::Empty));
    assert_eq!(parse_zone(":Europe/Berlin").unwrap(), tz("Europe/Berlin"));
}

#[test]
fn a_typed_time_the_clocks_skip_or_repeat_is_recognised() {
    let berlin = tz("Europe/Berlin");
    let now = parse_rfc3339("2026-10-26T12:00:00+01:00").unwrap();
    let naive = |s: &str| parse_local_datetime(s).unwrap();
    // Sun 29 Mar 2026 02:30 is skipped; Sun 25 Oct 02:30 happens twice, the
    // second at 02:30 +01:00 = 01:30Z.
    assert_eq!(odd_wall_clock("2026-03-29 02:30", now, berlin), Some(OddWallClock::Skipped(naive("2026-03-29 02:30"))));
    let second = parse_rfc3339("2026-10-25T02:30:00+01:00").unwrap();
    assert_eq!(
        odd_wall_clock("2026-10-25 02:30", now, berlin),
        Some(OddWallClock::Repeated(naive("2026-10-25 02:30"), second))
    );
    assert_eq!(
        odd_wall_clock("sunday 2:30am", now, berlin),
        Some(OddWallClock::Repeated(naive("2026-10-25 02:30"), second))
    );
    // An offset says which; a date alone is noon; relative times are instants.
    for plain in ["2026-10-25T02:30:00+01:00", "2026-10-25", "2026-10-25 03:30", "now", "today", "2h ago", "yesterday"]
    {
        assert_eq!(odd_wall_clock(plain, now, berlin), None, "{plain}");
    }
    // Lord Howe's half-hour gap: 02:15 on Sun 4 Oct 2026.
    let lh = tz("Australia/Lord_Howe");
    assert!(matches!(odd_wall_clock("2026-10-04 02:15", now, lh), Some(OddWallClock::Skipped(_))));
    assert_eq!(odd_wall_clock("2026-10-04 02:30", now, lh), None);
}

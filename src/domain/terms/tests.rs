//! Terms read as people mean them, refused when they mean nothing, and
//! printed so that they read back the same (property-tested).

use super::*;
use chrono::Days;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() // a Monday
}

fn canon(s: &str) -> String {
    parse(s, today()).unwrap_or_else(|e| panic!("{s}: {e}")).terms.to_string()
}

#[test]
fn phrases_read_as_people_mean_them() {
    let cases = [
        ("2/month", "2/month"),
        ("2 a month", "2/month"),
        ("2 per month", "2/month"),
        ("2 weekends a month", "2/month"),
        ("2 weekends each month", "2/month"),
        ("3 times a week", "3/week"),
        ("3 times per week", "3/week"),
        ("twice a week", "2/week"),
        ("two a week", "2/week"),
        ("once a month", "1/month"),
        ("twelve a year", "12/year"),
        ("daily", "1/day"),
        ("weekly", "1/week"),
        ("monthly", "1/month"),
        ("yearly", "1/year"),
        ("3/week", "3/week"),
        ("1/day", "1/day"),
        ("4 date nights a month", "4/month"),
        ("5 workouts weekly", "5/week"),
        ("every fri 19:00", "every fri 19:00"),
        ("every Friday at 7pm", "every fri 19:00"),
        ("every mon,wed 07:30", "every mon,wed 07:30"),
        ("every wed,mon 7:30", "every mon,wed 07:30"),
        ("every monday and wednesday at 07:30", "every mon,wed 07:30"),
        ("every day 21:00", "every day 21:00"),
        ("daily at 21:00", "every day 21:00"),
        ("every sat", "every sat"),
        ("every saturday", "every sat"),
        ("every fridays", "every fri"),
        ("every weekday 08:00", "every mon,tue,wed,thu,fri 08:00"),
        ("every mon,tue,wed,thu,fri,sat,sun", "every day"),
        ("monthly on 1 09:00", "monthly on 1 09:00"),
        ("monthly on 31 09:00", "monthly on 31 09:00"),
        ("monthly on the 15th", "monthly on 15"),
        ("every month on the 1st at 9am", "monthly on 1 09:00"),
        ("by 2026-12-01", "by 2026-12-01"),
        ("by 2026-12-01 18:00", "by 2026-12-01 18:00"),
        ("by 2026-12-01 at 6pm", "by 2026-12-01 18:00"),
        ("by saturday", "by 2026-11-28"),
        ("by monday", "by 2026-11-23"),
        ("by tomorrow", "by 2026-11-24"),
        ("by next friday", "by 2026-11-27"),
        ("by next monday", "by 2026-11-30"),
        ("by 1 dec", "by 2026-12-01"),
        ("by 1 dec 6pm", "by 2026-12-01 18:00"),
        ("by dec 1st", "by 2026-12-01"),
        ("2x a week", "2/week"),
        ("2 x a week", "2/week"),
        ("fridays", "every fri"),
        ("fridays at 7pm", "every fri 19:00"),
        ("daily at 9", "every day 09:00"),
        ("weekdays 7am", "every mon,tue,wed,thu,fri 07:00"),
        ("weekends", "every sat,sun"),
        ("every other week", "1/fortnight"),
        ("every 2 weeks", "1/fortnight"),
        ("once a fortnight", "1/fortnight"),
        ("fortnightly", "1/fortnight"),
        ("1/fortnight", "1/fortnight"),
        ("2/fortnight", "2/fortnight"),
        ("2 every 2 weeks", "2/fortnight"),
        ("twice every other week", "2/fortnight"),
        ("every other fri 19:00", "every 2 weeks fri 19:00"),
        ("every other friday at 7pm", "every 2 weeks fri 19:00"),
        ("every 2 weeks on sat", "every 2 weeks sat"),
        ("every 2 weeks fri 19:00", "every 2 weeks fri 19:00"),
        ("every 2 weeks mon,thu", "every 2 weeks mon,thu"),
        ("standing", "standing"),
        ("", "standing"),
        ("  Standing ", "standing"),
    ];
    for (input, want) in cases {
        assert_eq!(canon(input), want, "{input}");
    }
    assert_eq!(parse("2 weekends a month", today()).unwrap().unit.as_deref(), Some("weekends"));
    assert_eq!(parse("3 times a week", today()).unwrap().unit, None);
}

#[test]
fn each_refusal_says_which_part_was_wrong() {
    use TermsError::*;
    type Kind = fn(String) -> TermsError;
    let cases: [(&str, Kind); 9] = [
        ("twice in a blue moon", Unreadable),
        ("by someday", DeadlineDate),
        ("by 3001-01-01", DeadlineYear),
        ("monthly on the 32nd", DayOfMonth),
        ("every other someday", FortnightDays),
        ("every other day", FortnightEveryDay),
        ("every 19:00", WeeklyDays),
        ("0 a week", ZeroQuota),
        ("1001/week", QuotaTooLarge),
    ];
    for (input, kind) in cases {
        assert_eq!(parse(input, today()), Err(kind(input.to_string())), "{input}");
    }
}

#[test]
fn refusals_read_as_before_the_typed_error() {
    // The `error:` lines of docs/cli.md, byte for byte.
    let said = |s: &str| parse(s, today()).unwrap_err().to_string();
    assert_eq!(said("2 per blue moon"), "could not read terms \"2 per blue moon\"");
    assert_eq!(said("0/week"), "\"0/week\" promises nothing: a quota needs at least 1");
    assert_eq!(said("monthly on 0"), "\"monthly on 0\": a day of the month is 1 to 31");
    assert_eq!(
        said("by someday"),
        "could not read the date in \"by someday\"; try \"by 2026-12-01\", \"by saturday\", \"by next friday\" or \"by 1 dec 18:00\""
    );
    assert_eq!(
        said("every other day"),
        "\"every other day\": every day of every other week is not a fortnightly promise; try \"every day\" or \"7/fortnight\""
    );
}

#[test]
fn nonsense_is_refused() {
    for bad in [
        "0/week",
        "every other",
        "every other day",
        "every 2 weeks on someday",
        "every",
        "every 19:00",
        "monthly on 32",
        "monthly on 0",
        "by 2026-13-01",
        "by someday",
        "a month",
        "2",
        "lots a week",
        "every fri 25:00",
        "by 0000-01-01",
        "by 9999-01-01",
        "1001/day",
        "2 a month'; drop table entries;--",
        "-1/week",
    ] {
        assert!(parse(bad, today()).is_err(), "{bad} should be refused");
    }
}

fn arb_time() -> impl Strategy<Value = Option<NaiveTime>> {
    prop::option::of((0u32..24, 0u32..60).prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap()))
}

fn arb_terms() -> impl Strategy<Value = Terms> {
    let period = prop_oneof![
        Just(Period::Day),
        Just(Period::Week),
        Just(Period::Fortnight),
        Just(Period::Month),
        Just(Period::Year)
    ];
    prop_oneof![
        (1u32..=1000, period).prop_map(|(count, period)| Terms::Quota { count, period }),
        (1u8..128, arb_time()).prop_map(|(d, time)| Terms::Schedule(Schedule::Weekly { days: Days7(d), time })),
        (1u32..=31, arb_time()).prop_map(|(day, time)| Terms::Schedule(Schedule::Monthly { day, time })),
        (1u8..127, arb_time()).prop_map(|(d, time)| Terms::Schedule(Schedule::Fortnightly { days: Days7(d), time })),
        (0i64..365 * 900, arb_time()).prop_map(|(n, time)| Terms::Deadline {
            date: NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + Days::new(n as u64),
            time
        }),
        Just(Terms::Standing),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]
    #[test]
    fn print_then_parse_is_identity(t in arb_terms()) {
        let printed = t.to_string();
        let back = parse(&printed, today()).unwrap();
        prop_assert_eq!(back.terms, t);
        prop_assert_eq!(back.unit, None);
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,60}") {
        let _ = parse(&s, today());
    }
}

//! Terms: what exactly was promised — pure parsing and printing.
//!
//! Owns the four kinds of docs/design.md §1 (quota, schedule, deadline, standing),
//! the phrases people type for them ("2 weekends a month", "twice a week",
//! "every fri 19:00", "by 2026-12-01") and their canonical printed form of
//! docs/cli.md. `parse(print(t)) == t` for every value (property-tested).

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Day,
    Week,
    /// Two weeks, counted from the Monday of the promise's first slot's week.
    Fortnight,
    Month,
    Year,
}

impl Period {
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Fortnight => "fortnight",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The next longer period and how many of this one it holds (docs/design.md §4).
    pub fn longer(self) -> Option<(Period, u32)> {
        match self {
            Period::Day => Some((Period::Week, 7)),
            Period::Week => Some((Period::Month, 4)),
            // Suggestions treat a fortnight as half a month (docs/design.md §1).
            Period::Fortnight => Some((Period::Month, 2)),
            Period::Month => Some((Period::Year, 12)),
            Period::Year => None,
        }
    }

    /// Approximate length in days, for comparing loads across periods.
    pub fn days(self) -> f64 {
        match self {
            Period::Day => 1.0,
            Period::Week => 7.0,
            Period::Fortnight => 365.25 / 24.0,
            Period::Month => 365.25 / 12.0,
            Period::Year => 365.25,
        }
    }

    fn parse(word: &str) -> Option<Period> {
        Some(match word {
            "day" | "days" | "d" => Period::Day,
            "week" | "weeks" | "wk" | "w" => Period::Week,
            "fortnight" | "fortnights" => Period::Fortnight,
            "month" | "months" | "mo" => Period::Month,
            "year" | "years" | "yr" | "y" => Period::Year,
            _ => return None,
        })
    }

    fn adverb(word: &str) -> Option<Period> {
        Some(match word {
            "daily" => Period::Day,
            "weekly" => Period::Week,
            "fortnightly" | "biweekly" => Period::Fortnight,
            "monthly" => Period::Month,
            "yearly" | "annually" => Period::Year,
            _ => return None,
        })
    }
}

/// Days of the week as a bit set, Monday = bit 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Days7(pub u8);

impl Days7 {
    pub const ALL: Days7 = Days7(0b111_1111);

    pub fn contains(self, w: Weekday) -> bool {
        self.0 & (1 << w.num_days_from_monday()) != 0
    }

    pub fn count(self) -> u32 {
        self.0.count_ones()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// `every mon,wed 07:30`, `every day 21:00`, `every sat`.
    Weekly { days: Days7, time: Option<NaiveTime> },
    /// `monthly on 31 09:00`: the last day of shorter months.
    Monthly { day: u32, time: Option<NaiveTime> },
    /// `every 2 weeks fri 19:00`: the days of every other ISO week, counted
    /// from the week of the first occurrence.
    Fortnightly { days: Days7, time: Option<NaiveTime> },
}

impl Schedule {
    /// N units per natural period, for over-promising suggestions (§4).
    pub fn natural(&self) -> (u32, Period) {
        match self {
            Schedule::Weekly { days, .. } => (days.count(), Period::Week),
            Schedule::Monthly { .. } => (1, Period::Month),
            Schedule::Fortnightly { days, .. } => (days.count(), Period::Fortnight),
        }
    }

    pub fn time(&self) -> Option<NaiveTime> {
        match self {
            Schedule::Weekly { time, .. } | Schedule::Monthly { time, .. } | Schedule::Fortnightly { time, .. } => {
                *time
            }
        }
    }

    /// The occurrence date in the month of `date` for a monthly schedule.
    pub fn monthly_date(day: u32, year: i32, month: u32) -> NaiveDate {
        let mut d = day;
        loop {
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, d) {
                return date;
            }
            d -= 1;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Terms {
    Quota { count: u32, period: Period },
    Schedule(Schedule),
    Deadline { date: NaiveDate, time: Option<NaiveTime> },
    Standing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Quota,
    Schedule,
    Deadline,
    Standing,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Quota => "quota",
            Kind::Schedule => "schedule",
            Kind::Deadline => "deadline",
            Kind::Standing => "standing",
        }
    }
}

impl Terms {
    pub fn kind(&self) -> Kind {
        match self {
            Terms::Quota { .. } => Kind::Quota,
            Terms::Schedule(_) => Kind::Schedule,
            Terms::Deadline { .. } => Kind::Deadline,
            Terms::Standing => Kind::Standing,
        }
    }

    /// N units per period, where the terms recur.
    pub fn per_period(&self) -> Option<(u32, Period)> {
        match self {
            Terms::Quota { count, period } => Some((*count, *period)),
            Terms::Schedule(s) => Some(s.natural()),
            _ => None,
        }
    }

    /// Units per day on average, for comparing promises of different periods.
    pub fn load(&self) -> f64 {
        self.per_period().map(|(n, p)| n as f64 / p.days()).unwrap_or(0.0)
    }
}

/// Terms as parsed from the user's words: the value and the quota's noun.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub terms: Terms,
    pub unit: Option<String>,
}

pub const TERMS_HINT: &str =
    "try \"every fri 19:00\", \"2/month\", \"2 weekends a month\", \"by 2026-12-01\" or \"standing\"";

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn fmt_time(t: NaiveTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

impl fmt::Display for Terms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Terms::Quota { count, period } => write!(f, "{count}/{}", period.name()),
            Terms::Schedule(Schedule::Weekly { days, time }) => {
                if *days == Days7::ALL {
                    f.write_str("every day")?;
                } else {
                    let names: Vec<&str> = (0..7).filter(|i| days.0 & (1 << i) != 0).map(|i| DAY_NAMES[i]).collect();
                    write!(f, "every {}", names.join(","))?;
                }
                if let Some(t) = time {
                    write!(f, " {}", fmt_time(*t))?;
                }
                Ok(())
            }
            Terms::Schedule(Schedule::Fortnightly { days, time }) => {
                let names: Vec<&str> = (0..7).filter(|i| days.0 & (1 << i) != 0).map(|i| DAY_NAMES[i]).collect();
                write!(f, "every 2 weeks {}", names.join(","))?;
                if let Some(t) = time {
                    write!(f, " {}", fmt_time(*t))?;
                }
                Ok(())
            }
            Terms::Schedule(Schedule::Monthly { day, time }) => {
                write!(f, "monthly on {day}")?;
                if let Some(t) = time {
                    write!(f, " {}", fmt_time(*t))?;
                }
                Ok(())
            }
            Terms::Deadline { date, time } => {
                write!(f, "by {}", date.format("%Y-%m-%d"))?;
                if let Some(t) = time {
                    write!(f, " {}", fmt_time(*t))?;
                }
                Ok(())
            }
            Terms::Standing => f.write_str("standing"),
        }
    }
}

fn number_word(w: &str) -> Option<u32> {
    const WORDS: [&str; 13] =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    match w {
        "once" | "a" | "an" => Some(1),
        "twice" => Some(2),
        "thrice" => Some(3),
        _ => WORDS
            .iter()
            .position(|x| *x == w)
            .map(|i| i as u32)
            .or_else(|| if w.len() <= 6 && w.chars().all(|c| c.is_ascii_digit()) { w.parse().ok() } else { None }),
    }
}

fn weekday(w: &str) -> Option<Weekday> {
    let w = w.trim_end_matches('s');
    Some(match w {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// `19:00`, `7:30`, `7pm`, `7:30pm`, `noon`.
fn parse_time(w: &str) -> Option<NaiveTime> {
    if w == "noon" {
        return NaiveTime::from_hms_opt(12, 0, 0);
    }
    let (body, pm) = if let Some(b) = w.strip_suffix("pm") {
        (b, Some(true))
    } else if let Some(b) = w.strip_suffix("am") {
        (b, Some(false))
    } else {
        (w, None)
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if pm.is_some() => (body, "0"),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    if pm.is_none() && m.len() != 2 {
        return None;
    }
    super::phrases::clock(h, m, pm)
}

fn ordinal(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

/// The words of terms with the shapes people type made plain: "7 pm" →
/// "7pm", "2x" → "2 times", "2 every 2 weeks" / "2 every other week" →
/// "2 a fortnight".
fn normalise(cleaned: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in crate::domain::phrases::words(cleaned) {
        if let Some(n) = w.strip_suffix('x').filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            out.push(n.to_string());
            out.push("times".into());
        } else if w == "x" && out.last().is_some_and(|l| number_word(l).is_some()) {
            out.push("times".into());
        } else {
            out.push(w);
        }
    }
    let mut i = 0;
    while i + 3 < out.len() + 1 {
        let window: Vec<&str> = out[i..(i + 3).min(out.len())].iter().map(String::as_str).collect();
        let fortnight = matches!(window.as_slice(), ["every", "2" | "two" | "other", "weeks" | "week"]);
        if fortnight && i > 0 && number_word(&out[i - 1]).is_some() {
            out.splice(i..i + 3, ["a".to_string(), "fortnight".to_string()]);
        }
        i += 1;
    }
    out
}

/// Day words and an optional time: "fri 19:00", "mon,wed 7:30", "day 9",
/// "weekdays 7am", "weekends".
fn schedule_days(rest: &[&str]) -> Option<(Days7, Option<NaiveTime>)> {
    let (day_words, time) = match rest.split_last() {
        Some((last, init)) if !init.is_empty() && crate::domain::phrases::time_of_day(last, true).is_some() => {
            (init, crate::domain::phrases::time_of_day(last, true))
        }
        _ => (rest, None),
    };
    if day_words.is_empty() {
        return None;
    }
    let mut days = 0u8;
    for part in day_words.iter().flat_map(|w| w.split(',')).filter(|p| !p.is_empty()) {
        days |= match part {
            "day" | "days" => Days7::ALL.0,
            "weekday" | "weekdays" => 0b001_1111,
            "weekend" | "weekends" => 0b110_0000,
            p => 1 << weekday(p)?.num_days_from_monday(),
        };
    }
    (days != 0).then_some((Days7(days), time))
}

/// Parse the words of a promise's terms. `today` (in the agreement's zone)
/// resolves "by saturday".
pub fn parse(input: &str, today: NaiveDate) -> Result<Parsed, String> {
    let bad = || format!("could not read terms \"{}\"", crate::domain::time::printable(input));
    let lower = input.trim().to_lowercase();
    if lower.chars().count() > 200 {
        return Err(bad());
    }
    let cleaned = lower.replace(['.', ';'], " ");
    let cleaned = cleaned.replace(" and ", ",").replace(", ", ",").replace(" ,", ",");
    let owned = normalise(&cleaned);
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    let plain = |terms| Ok(Parsed { terms, unit: None });
    match words.as_slice() {
        [] | ["standing"] | ["ongoing"] | ["always"] => return plain(Terms::Standing),
        _ => {}
    }
    let first = words[0];

    // Deadline: "by DATE [at] [TIME]" — a date, "saturday", "next friday", "1 dec".
    if first == "by" || first == "before" || first == "due" {
        let rest = words[1..].join(" ");
        let rest = match rest.split_once('t') {
            // "by 2026-12-01T18:00"
            Some((d, t)) if d.len() == 10 && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => format!("{d} {t}"),
            _ => rest,
        };
        let (date, time) = crate::domain::phrases::day_and_time(&rest, today, crate::domain::phrases::Lean::Future)
            .ok_or_else(|| {
                format!(
                    "could not read the date in \"{}\"; try \"by 2026-12-01\", \"by saturday\", \"by next friday\" or \"by 1 dec 18:00\"",
                    crate::domain::time::printable(input)
                )
            })?;
        if !(crate::domain::time::MIN_YEAR..=crate::domain::time::MAX_YEAR).contains(&date.year()) {
            return Err(format!(
                "the date in \"{}\" is outside the years 1970–2999",
                crate::domain::time::printable(input)
            ));
        }
        return plain(Terms::Deadline { date, time });
    }

    // Monthly schedule: "monthly on [the] 1[st] [at] [09:00]", "every month on the 1st".
    let monthly_rest = match words.as_slice() {
        ["monthly", "on", rest @ ..] => Some(rest),
        ["every", "month", "on", rest @ ..] => Some(rest),
        _ => None,
    };
    if let Some(rest) = monthly_rest {
        let rest: Vec<&str> = rest.iter().copied().filter(|w| !matches!(*w, "the" | "at" | "day")).collect();
        let (day, time) = match rest.as_slice() {
            [d] => (ordinal(d), None),
            [d, t] => (ordinal(d), Some(parse_time(t).ok_or_else(bad)?)),
            _ => return Err(bad()),
        };
        let day = day.ok_or_else(bad)?;
        if !(1..=31).contains(&day) {
            return Err(format!("\"{}\": a day of the month is 1 to 31", crate::domain::time::printable(input)));
        }
        return plain(Terms::Schedule(Schedule::Monthly { day, time }));
    }

    // Weekly schedule: "every fri 19:00", "every mon,wed at 7:30", "daily at 21:00".
    // Every other week: "every other fri 19:00", "every 2 weeks on sat".
    let fortnight_rest = match words.as_slice() {
        ["every", "other", "week" | "weeks"] | ["every", "2" | "two", "weeks"] | ["fortnightly"] => {
            return plain(Terms::Quota { count: 1, period: Period::Fortnight });
        }
        ["every", "other", "week", rest @ ..] | ["every", "2" | "two", "weeks", rest @ ..] if !rest.is_empty() => {
            Some(rest.to_vec())
        }
        ["every", "other", rest @ ..] | ["fortnightly", rest @ ..] if !rest.is_empty() => Some(rest.to_vec()),
        _ => None,
    };
    if let Some(rest) = fortnight_rest {
        let rest: Vec<&str> = rest.into_iter().filter(|w| !matches!(*w, "at" | "on")).collect();
        let (days, time) = schedule_days(&rest).ok_or_else(|| {
            format!(
                "could not read the days in \"{}\"; try \"every 2 weeks fri 19:00\" or \"every other sat\"",
                crate::domain::time::printable(input)
            )
        })?;
        if days == Days7::ALL {
            return Err(format!(
                "\"{}\": every day of every other week is not a fortnightly promise; try \"every day\" or \"7/fortnight\"",
                crate::domain::time::printable(input)
            ));
        }
        return plain(Terms::Schedule(Schedule::Fortnightly { days, time }));
    }

    let weekly_rest = match words.as_slice() {
        ["every", rest @ ..] if !rest.is_empty() => Some(rest.to_vec()),
        // "fridays", "weekdays 7am", "weekends": the days alone mean every one of them.
        [d, ..] if d.ends_with('s') && (weekday(d).is_some() || matches!(*d, "weekdays" | "weekends")) => {
            Some(words.to_vec())
        }
        ["daily", "at", rest @ ..] | ["every", "day", "at", rest @ ..] => {
            let mut v = vec!["day"];
            v.extend_from_slice(rest);
            Some(v)
        }
        ["weekly", "on", rest @ ..] if !rest.is_empty() => Some(rest.to_vec()),
        _ => None,
    };
    if let Some(rest) = weekly_rest {
        let rest: Vec<&str> = rest.into_iter().filter(|w| *w != "at" && *w != "on").collect();
        if let Some((days, time)) = schedule_days(&rest) {
            return plain(Terms::Schedule(Schedule::Weekly { days, time }));
        }
        return Err(format!(
            "could not read the days in \"{}\"; try \"every fri 19:00\", \"every mon,wed 07:30\", \"every day 21:00\" or \"every other sat\"",
            crate::domain::time::printable(input)
        ));
    }

    // Quota: "daily", "2/month", "2 a month", "2 weekends a month", "twice a week".
    if let [adverb] = words.as_slice()
        && let Some(period) = Period::adverb(adverb)
    {
        return plain(Terms::Quota { count: 1, period });
    }
    let (count_word, rest): (&str, Vec<&str>) = match first.split_once('/') {
        Some((n, p)) if !p.is_empty() => {
            let mut v = vec!["/", p];
            v.extend_from_slice(&words[1..]);
            (n, v)
        }
        _ => (first, words[1..].to_vec()),
    };
    let count = number_word(count_word).filter(|_| !matches!(count_word, "a" | "an")).ok_or_else(bad)?;
    let (period, unit_words): (Period, &[&str]) = match rest.as_slice() {
        [unit @ .., conn, p]
            if matches!(*conn, "a" | "an" | "per" | "each" | "every" | "/" | "in" | "a-")
                && Period::parse(p).is_some() =>
        {
            let unit = if unit.last() == Some(&"per") { &unit[..unit.len() - 1] } else { unit };
            (Period::parse(p).expect("checked"), unit)
        }
        [unit @ .., adverb] if Period::adverb(adverb).is_some() => (Period::adverb(adverb).expect("checked"), unit),
        _ => return Err(bad()),
    };
    if count == 0 {
        return Err(format!(
            "\"{}\" promises nothing: a quota needs at least 1",
            crate::domain::time::printable(input)
        ));
    }
    if count > 1000 {
        return Err(format!(
            "\"{}\" is more than troth counts: at most 1000 per period",
            crate::domain::time::printable(input)
        ));
    }
    let unit = match unit_words {
        [] | ["times"] | ["time"] | ["x"] => None,
        words => {
            let noun = words.join(" ");
            if noun.chars().count() > 40
                || !noun.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
            {
                return Err(bad());
            }
            Some(noun)
        }
    };
    Ok(Parsed { terms: Terms::Quota { count, period }, unit })
}

#[cfg(test)]
mod tests {
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
            (1u8..127, arb_time())
                .prop_map(|(d, time)| Terms::Schedule(Schedule::Fortnightly { days: Days7(d), time })),
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
}

//! Reading terms from the words people type: one function per kind
//! (deadline, monthly, fortnightly, weekly schedule, quota), tried in that
//! order, and a typed error that says what was wrong and what would be right.

use super::{Days7, Parsed, Period, Schedule, Terms};
use crate::domain::phrases::{self, Lean};
use crate::domain::time::{MAX_YEAR, MIN_YEAR, printable};
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

/// Why terms could not be read. Each carries the input as typed; `Display`
/// is the `error:` line (docs/cli.md), with what would be right where a
/// kind was recognised.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    /// No kind of terms reads these words (the caller's hint lists the forms).
    #[error("could not read terms \"{}\"", printable(.0))]
    Unreadable(String),
    #[error(
        "could not read the date in \"{}\"; try \"by 2026-12-01\", \"by saturday\", \"by next friday\" or \"by 1 dec 18:00\"",
        printable(.0)
    )]
    DeadlineDate(String),
    #[error("the date in \"{}\" is outside the years 1970–2999", printable(.0))]
    DeadlineYear(String),
    #[error("\"{}\": a day of the month is 1 to 31", printable(.0))]
    DayOfMonth(String),
    #[error("could not read the days in \"{}\"; try \"every 2 weeks fri 19:00\" or \"every other sat\"", printable(.0))]
    FortnightDays(String),
    #[error(
        "\"{}\": every day of every other week is not a fortnightly promise; try \"every day\" or \"7/fortnight\"",
        printable(.0)
    )]
    FortnightEveryDay(String),
    #[error(
        "could not read the days in \"{}\"; try \"every fri 19:00\", \"every mon,wed 07:30\", \"every day 21:00\" or \"every other sat\"",
        printable(.0)
    )]
    WeeklyDays(String),
    #[error("\"{}\" promises nothing: a quota needs at least 1", printable(.0))]
    ZeroQuota(String),
    #[error("\"{}\" is more than troth counts: at most 1000 per period", printable(.0))]
    QuotaTooLarge(String),
}

/// What one kind's reader says: not this kind (`None`), or its verdict.
type Attempt = Option<Result<Parsed, TermsError>>;

fn plain(terms: Terms) -> Attempt {
    Some(Ok(Parsed { terms, unit: None }))
}

/// Parse the words of a promise's terms. `today` (in the agreement's zone)
/// resolves "by saturday".
pub fn parse(input: &str, today: NaiveDate) -> Result<Parsed, TermsError> {
    let lower = input.trim().to_lowercase();
    if lower.chars().count() > 200 {
        return Err(TermsError::Unreadable(input.into()));
    }
    let cleaned = lower.replace(['.', ';'], " ");
    let cleaned = cleaned.replace(" and ", ",").replace(", ", ",").replace(" ,", ",");
    let owned = normalise(&cleaned);
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    if let [] | ["standing"] | ["ongoing"] | ["always"] = words.as_slice() {
        return Ok(Parsed { terms: Terms::Standing, unit: None });
    }
    deadline(input, &words, today)
        .or_else(|| monthly(input, &words))
        .or_else(|| fortnightly(input, &words))
        .or_else(|| weekly(input, &words))
        .unwrap_or_else(|| quota(input, &words))
}

/// "by DATE [at] [TIME]" — a date, "saturday", "next friday", "1 dec".
fn deadline(input: &str, words: &[&str], today: NaiveDate) -> Attempt {
    if !matches!(words[0], "by" | "before" | "due") {
        return None;
    }
    let rest = words[1..].join(" ");
    let rest = match rest.split_once('t') {
        // "by 2026-12-01T18:00"
        Some((d, t)) if d.len() == 10 && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => format!("{d} {t}"),
        _ => rest,
    };
    let Some((date, time)) = phrases::day_and_time(&rest, today, Lean::Future) else {
        return Some(Err(TermsError::DeadlineDate(input.into())));
    };
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Some(Err(TermsError::DeadlineYear(input.into())));
    }
    plain(Terms::Deadline { date, time })
}

/// "monthly on [the] 1[st] [at] [09:00]", "every month on the 1st".
fn monthly(input: &str, words: &[&str]) -> Attempt {
    let rest = match words {
        ["monthly", "on", rest @ ..] | ["every", "month", "on", rest @ ..] => rest,
        _ => return None,
    };
    let bad = || TermsError::Unreadable(input.into());
    let rest: Vec<&str> = rest.iter().copied().filter(|w| !matches!(*w, "the" | "at" | "day")).collect();
    let (day, time) = match rest.as_slice() {
        [d] => (ordinal(d), None),
        [d, t] => match parse_time(t) {
            Some(t) => (ordinal(d), Some(t)),
            None => return Some(Err(bad())),
        },
        _ => return Some(Err(bad())),
    };
    let Some(day) = day else { return Some(Err(bad())) };
    if !(1..=31).contains(&day) {
        return Some(Err(TermsError::DayOfMonth(input.into())));
    }
    plain(Terms::Schedule(Schedule::Monthly { day, time }))
}

/// Every other week: "every other fri 19:00", "every 2 weeks on sat";
/// alone, "every other week" is once a fortnight.
fn fortnightly(input: &str, words: &[&str]) -> Attempt {
    let rest = match words {
        ["every", "other", "week" | "weeks"] | ["every", "2" | "two", "weeks"] | ["fortnightly"] => {
            return plain(Terms::Quota { count: 1, period: Period::Fortnight });
        }
        ["every", "other", "week", rest @ ..] | ["every", "2" | "two", "weeks", rest @ ..] if !rest.is_empty() => rest,
        ["every", "other", rest @ ..] | ["fortnightly", rest @ ..] if !rest.is_empty() => rest,
        _ => return None,
    };
    let rest: Vec<&str> = rest.iter().copied().filter(|w| !matches!(*w, "at" | "on")).collect();
    Some(match schedule_days(&rest) {
        None => Err(TermsError::FortnightDays(input.into())),
        Some((days, _)) if days == Days7::ALL => Err(TermsError::FortnightEveryDay(input.into())),
        Some((days, time)) => Ok(Parsed { terms: Terms::Schedule(Schedule::Fortnightly { days, time }), unit: None }),
    })
}

/// "every fri 19:00", "every mon,wed at 7:30", "daily at 21:00", "fridays".
fn weekly(input: &str, words: &[&str]) -> Attempt {
    let rest: Vec<&str> = match words {
        ["every", rest @ ..] if !rest.is_empty() => rest.to_vec(),
        // "fridays", "weekdays 7am", "weekends": the days alone mean every one of them.
        [d, ..] if d.ends_with('s') && (weekday(d).is_some() || matches!(*d, "weekdays" | "weekends")) => {
            words.to_vec()
        }
        ["daily", "at", rest @ ..] | ["every", "day", "at", rest @ ..] => {
            std::iter::once("day").chain(rest.iter().copied()).collect()
        }
        ["weekly", "on", rest @ ..] if !rest.is_empty() => rest.to_vec(),
        _ => return None,
    };
    let rest: Vec<&str> = rest.into_iter().filter(|w| *w != "at" && *w != "on").collect();
    Some(match schedule_days(&rest) {
        Some((days, time)) => Ok(Parsed { terms: Terms::Schedule(Schedule::Weekly { days, time }), unit: None }),
        None => Err(TermsError::WeeklyDays(input.into())),
    })
}

/// "daily", "2/month", "2 a month", "2 weekends a month", "twice a week".
fn quota(input: &str, words: &[&str]) -> Result<Parsed, TermsError> {
    let bad = || TermsError::Unreadable(input.into());
    if let [adverb] = words
        && let Some(period) = Period::adverb(adverb)
    {
        return Ok(Parsed { terms: Terms::Quota { count: 1, period }, unit: None });
    }
    let (count_word, rest): (&str, Vec<&str>) = match words[0].split_once('/') {
        Some((n, p)) if !p.is_empty() => (n, ["/", p].into_iter().chain(words[1..].iter().copied()).collect()),
        _ => (words[0], words[1..].to_vec()),
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
        return Err(TermsError::ZeroQuota(input.into()));
    }
    if count > 1000 {
        return Err(TermsError::QuotaTooLarge(input.into()));
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

/// A day's name, as the WHEN phrases read it ("fri", "fridays", "thurs").
fn weekday(w: &str) -> Option<Weekday> {
    crate::domain::phrases::weekday(w)
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
    phrases::clock(h, m, pm)
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
/// "7pm", "2x" → "2 times", "2 every 2 weeks" / "2 every other week" /
/// "2 dinners every 2 weeks" → "2 a fortnight" (with the unit kept).
fn normalise(cleaned: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in phrases::words(cleaned) {
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
        // "2 every 2 weeks", and with the unit between: "3 times every 2 weeks",
        // "2 dinners every other week".
        let counted = |j: usize| number_word(&out[j]).is_some();
        if fortnight && i > 0 && (counted(i - 1) || (i > 1 && counted(i - 2))) {
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
        Some((last, init)) if !init.is_empty() && phrases::time_of_day(last, true).is_some() => {
            (init, phrases::time_of_day(last, true))
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

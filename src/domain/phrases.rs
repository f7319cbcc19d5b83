//! Days and times as people type them — pure, no clock.
//!
//! Owns the words beyond docs/cli.md's `WHEN` forms that a couple actually types:
//! weekday names ("friday", "last friday", "next friday"), day-month dates
//! ("1 dec", "dec 1", "1 december 2027"), "2 days ago", and a date or day
//! with a clock time ("2026-11-28 7pm", "friday 19:00", "yesterday at 9am").
//! Used by `WHEN` parsing and by deadline terms ("by next friday", "by 1 dec").

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

/// Which way a bare weekday points: the most recent one (today included)
/// for things that happened, the coming one (today included) for things due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lean {
    Past,
    Future,
}

pub fn weekday(w: &str) -> Option<Weekday> {
    let w = w.strip_suffix('s').filter(|s| s.len() >= 3).unwrap_or(w);
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

fn month(w: &str) -> Option<u32> {
    const NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    let i = NAMES.iter().position(|n| w.starts_with(n))?;
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (FULL[i].starts_with(w) || w == "sept").then_some(i as u32 + 1)
}

fn day_number(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// `19:00`, `7:30`, `7pm`, `7:30pm`, `7 pm` (as two words joined), `noon`,
/// `midnight`; a bare hour (`9`) only where `bare_hour` allows it.
pub fn time_of_day(w: &str, bare_hour: bool) -> Option<NaiveTime> {
    match w {
        "noon" | "midday" => return NaiveTime::from_hms_opt(12, 0, 0),
        "midnight" => return NaiveTime::from_hms_opt(0, 0, 0),
        _ => {}
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
        None if pm.is_some() || bare_hour => (body, "00"),
        None => return None,
    };
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    clock(h, m, pm)
}

/// Hours and minutes as typed, with `am`/`pm` if given, as a time of day
/// (`12am` is midnight, `12pm` noon). The callers check the digits' shape.
pub(crate) fn clock(h: &str, m: &str, pm: Option<bool>) -> Option<NaiveTime> {
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if let Some(pm) = pm {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Join "7 pm" into "7pm" so a time is one word.
pub fn words(input: &str) -> Vec<String> {
    let lower = input.trim().to_lowercase().replace(',', " ");
    let mut out: Vec<String> = Vec::new();
    for w in lower.split_whitespace() {
        if matches!(w, "am" | "pm" | "a.m." | "p.m.")
            && let Some(last) = out.last_mut()
            && last.chars().all(|c| c.is_ascii_digit() || c == ':')
        {
            last.push_str(&w.replace('.', ""));
            continue;
        }
        out.push(w.to_string());
    }
    out
}

/// A day named by words, relative to `today`: `today`, `tomorrow`,
/// `yesterday`, an ISO date, `friday` (leaning as `lean` says), `last
/// friday` (strictly before today), `next friday` (strictly after), `this
/// friday` (this ISO week), `1 dec`, `dec 1`, `1 december 2027` (without a
/// year: the next such day for a future lean, else the last one). Returns the
/// day and how many words it used.
pub fn day(words: &[&str], today: NaiveDate, lean: Lean) -> Option<(NaiveDate, usize)> {
    let first = *words.first()?;
    match first {
        "today" | "tonight" => return Some((today, 1)),
        "tomorrow" => return Some((today.succ_opt()?, 1)),
        "yesterday" => return Some((today.pred_opt()?, 1)),
        _ => {}
    }
    if let Ok(d) = NaiveDate::parse_from_str(first, "%Y-%m-%d") {
        return Some((d, 1));
    }
    let forward = |w: Weekday, strict: bool| {
        let mut ahead = (7 + w.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        if strict && ahead == 0 {
            ahead = 7;
        }
        today.checked_add_days(Days::new(ahead as u64))
    };
    let backward = |w: Weekday, strict: bool| {
        let mut back = (7 + today.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7;
        if strict && back == 0 {
            back = 7;
        }
        today.checked_sub_days(Days::new(back as u64))
    };
    if let Some(w) = weekday(first) {
        let d = match lean {
            Lean::Past => backward(w, false),
            Lean::Future => forward(w, false),
        };
        return Some((d?, 1));
    }
    if let Some(w) = words.get(1).and_then(|w| weekday(w)) {
        let d = match first {
            "last" | "past" => backward(w, true)?,
            "next" | "coming" => forward(w, true)?,
            "this" => {
                let monday = today - Days::new(today.weekday().num_days_from_monday() as u64);
                monday + Days::new(w.num_days_from_monday() as u64)
            }
            _ => return None,
        };
        return Some((d, 2));
    }
    // "1 dec [2027]", "dec 1 [2027]", "the 1st of december".
    let rest: Vec<&str> = words.iter().copied().filter(|w| !matches!(*w, "the" | "of")).collect();
    let skipped = words.len() - rest.len();
    let (d, m, used) = match rest.as_slice() {
        [a, b, ..] if day_number(a).is_some() && month(b).is_some() => (day_number(a)?, month(b)?, 2),
        [a, b, ..] if month(a).is_some() && day_number(b).is_some() => (day_number(b)?, month(a)?, 2),
        _ => return None,
    };
    let year = rest.get(used).and_then(|y| y.parse::<i32>().ok().filter(|y| (1970..=2999).contains(y)));
    if let Some(y) = year {
        return Some((NaiveDate::from_ymd_opt(y, m, d)?, used + 1 + skipped));
    }
    let this = NaiveDate::from_ymd_opt(today.year(), m, d);
    let date = match lean {
        Lean::Future => match this {
            Some(x) if x >= today => x,
            _ => NaiveDate::from_ymd_opt(today.year() + 1, m, d)?,
        },
        Lean::Past => match this {
            Some(x) if x <= today => x,
            _ => NaiveDate::from_ymd_opt(today.year() - 1, m, d)?,
        },
    };
    Some((date, used + skipped))
}

/// A day and an optional time of day: "friday 7pm", "2026-11-28 7pm",
/// "yesterday at 19:00", "1 dec". None when the words are not that.
pub fn day_and_time(input: &str, today: NaiveDate, lean: Lean) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let owned = words(input);
    let ws: Vec<&str> = owned.iter().map(String::as_str).filter(|w| *w != "on").collect();
    let (date, used) = day(&ws, today, lean)?;
    let rest: Vec<&str> = ws[used..].iter().copied().filter(|w| *w != "at").collect();
    match rest.as_slice() {
        [] => Some((date, None)),
        [t] => Some((date, Some(time_of_day(t, true)?))),
        _ => None,
    }
}

/// "2 days ago", "3 weeks ago", "an hour ago", "90 minutes ago" as a
/// DURATION (`2d`, `3w`, `1h`, `90m`).
pub fn ago(input: &str) -> Option<String> {
    let owned = words(input);
    let ws: Vec<&str> = owned.iter().map(String::as_str).collect();
    let [n, unit, "ago"] = ws.as_slice() else { return None };
    let n: u32 = match *n {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        n => n.parse().ok()?,
    };
    let u = match *unit {
        "day" | "days" => "d",
        "week" | "weeks" => "w",
        "hour" | "hours" | "hr" | "hrs" => "h",
        "minute" | "minutes" | "min" | "mins" => "m",
        _ => return None,
    };
    Some(format!("{n}{u}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_people_type() {
        let mon = ymd(2026, 11, 23);
        let d = |s: &str, lean| day_and_time(s, mon, lean).map(|(d, t)| (d, t.map(|t| t.format("%H:%M").to_string())));
        assert_eq!(d("friday", Lean::Past), Some((ymd(2026, 11, 20), None)));
        assert_eq!(d("friday", Lean::Future), Some((ymd(2026, 11, 27), None)));
        assert_eq!(d("last friday", Lean::Future), Some((ymd(2026, 11, 20), None)));
        assert_eq!(d("next friday", Lean::Past), Some((ymd(2026, 11, 27), None)));
        assert_eq!(d("next monday", Lean::Future), Some((ymd(2026, 11, 30), None)));
        assert_eq!(d("1 dec", Lean::Future), Some((ymd(2026, 12, 1), None)));
        assert_eq!(d("dec 1", Lean::Past), Some((ymd(2025, 12, 1), None)));
        assert_eq!(d("1st of december 2027", Lean::Past), Some((ymd(2027, 12, 1), None)));
        assert_eq!(d("2026-11-28 7pm", Lean::Past), Some((ymd(2026, 11, 28), Some("19:00".into()))));
        assert_eq!(d("friday at 7 pm", Lean::Past), Some((ymd(2026, 11, 20), Some("19:00".into()))));
        assert_eq!(d("yesterday 19:30", Lean::Past), Some((ymd(2026, 11, 22), Some("19:30".into()))));
        assert_eq!(d("someday", Lean::Past), None);
        assert_eq!(ago("2 days ago").as_deref(), Some("2d"));
        assert_eq!(ago("an hour ago").as_deref(), Some("1h"));
        assert_eq!(ago("2 fortnights ago"), None);
    }
}

//! Time, as the user types it and as troth reasons about it — pure, no clock.
//!
//! Owns: resolving a local wall-clock time in a zone to an instant (the RFC
//! 5545 rule of docs/design.md §2), parsing `WHEN` and `DURATION` (docs/cli.md), calendar
//! arithmetic in a zone, and printing instants with their zone's offset.
//! `now` and the zone are always arguments; only `main` reads the clock.

use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    SecondsFormat, TimeZone, Utc,
};
use chrono_tz::Tz;

pub type Instant = DateTime<Utc>;

/// Earliest and latest dates troth accepts (docs/cli.md limits).
pub const MIN_YEAR: i32 = 1970;
pub const MAX_YEAR: i32 = 2999;

/// The instant a local wall-clock time names in `tz`.
///
/// RFC 5545: a time in the spring-forward gap is read with the offset in
/// force before the gap (02:30 → 03:30 summer time); a time that occurs twice
/// is the first of the two.
pub fn resolve_local(tz: Tz, naive: NaiveDateTime) -> Instant {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => {
            // A day before the gap lies after the previous transition in every
            // real zone, so its offset is the one in force before the gap.
            let before = naive.and_utc() - Duration::days(1);
            let offset = tz.offset_from_utc_datetime(&before.naive_utc()).fix();
            (naive - Duration::seconds(offset.local_minus_utc() as i64)).and_utc()
        }
    }
}

/// The first instant of a local day (a midnight in a gap starts the day at
/// the first instant that exists, which the gap rule above yields).
pub fn day_start(tz: Tz, date: NaiveDate) -> Instant {
    resolve_local(tz, date.and_time(NaiveTime::MIN))
}

/// The end of a local day: the start of the next one ("24:00").
pub fn day_end(tz: Tz, date: NaiveDate) -> Instant {
    day_start(tz, date + Days::new(1))
}

/// The local date of an instant in a zone.
pub fn local_date(tz: Tz, t: Instant) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

pub fn local(tz: Tz, t: Instant) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// Monday of the ISO week holding `date`.
pub fn week_monday(date: NaiveDate) -> NaiveDate {
    date - Days::new(date.weekday().num_days_from_monday() as u64)
}

/// RFC 3339 with the offset of the zone the time belongs to; UTC is `+00:00`.
pub fn rfc3339(t: Instant, tz: Tz) -> String {
    t.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Parse an RFC 3339 instant (TROTH_NOW and imports).
pub fn parse_rfc3339(s: &str) -> Option<Instant> {
    let t = DateTime::parse_from_rfc3339(s.trim()).ok()?.with_timezone(&Utc);
    in_range(t).then_some(t)
}

/// The years 1970–2999 as they are read somewhere on Earth: from 1970-01-01
/// 00:00 at UTC+14 to 2999-12-31 24:00 at UTC−12, so a date typed in any zone
/// (and its UTC export) is in range (docs/cli.md "Limits").
fn in_range(t: Instant) -> bool {
    let first = Utc.with_ymd_and_hms(MIN_YEAR - 1, 12, 31, 10, 0, 0).single();
    let last = Utc.with_ymd_and_hms(MAX_YEAR + 1, 1, 1, 12, 0, 0).single();
    matches!((first, last), (Some(a), Some(b)) if a <= t && t <= b)
}

/// Why a zone name was refused; `Display` is the `error:` line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error("an empty time zone; use an IANA zone name such as Europe/Berlin")]
    Empty,
    #[error("\"{}\" looks like a POSIX TZ rule; troth needs an IANA zone name such as Europe/Berlin", printable(.0))]
    Posix(String),
    #[error(
        "unknown time zone \"{}\"; use an IANA zone name such as Europe/Berlin or America/New_York",
        printable(.0)
    )]
    Unknown(String),
}

/// Parse an IANA zone name; POSIX rule strings and unknown names are refused.
pub fn parse_zone(s: &str) -> Result<Tz, ZoneError> {
    let name = s.strip_prefix(':').unwrap_or(s).trim();
    if name.is_empty() {
        return Err(ZoneError::Empty);
    }
    name.parse::<Tz>().map_err(|_| {
        if name.contains(',') || (name.chars().any(|c| c.is_ascii_digit()) && !name.contains('/')) {
            ZoneError::Posix(name.into())
        } else {
            ZoneError::Unknown(name.into())
        }
    })
}

/// How a date without a time is read (docs/cli.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateMeaning {
    /// `--at`: 12:00 that day; `today`/`now` mean now, `yesterday` this time yesterday.
    Noon,
    /// `--starts`, `--since`, `--from`: the start of the day.
    Start,
    /// `--ends`, `--until`, `by` terms: the end of the day (24:00).
    End,
}

pub const WHEN_HINT: &str = "use 2026-11-20, \"2026-11-20 19:30\", \"2026-11-20 7pm\", 2026-11-20T19:30:00+01:00, today, yesterday, now, friday, \"last friday\", \"1 dec\", \"3d ago\" or \"2 days ago\"";

/// Why a `WHEN` was refused; `Display` is the `error:` line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error("an empty time")]
    Empty,
    #[error("could not read the time \"{}\"", printable(.0))]
    Unreadable(String),
    #[error("the time \"{}\" is outside the years {}–{}", printable(.0), MIN_YEAR, MAX_YEAR)]
    OutOfRange(String),
}

/// Parse a `WHEN` as docs/cli.md defines it, in `tz` unless it carries an offset.
pub fn parse_when(input: &str, now: Instant, tz: Tz, meaning: DateMeaning) -> Result<Instant, WhenError> {
    let s = input.trim();
    let lower = s.to_ascii_lowercase();
    let bad = || WhenError::Unreadable(input.into());
    // A readable time outside the years troth keeps says so, with the range.
    let out_of_range = || WhenError::OutOfRange(input.into());
    if s.is_empty() {
        return Err(WhenError::Empty);
    }
    let today = local_date(tz, now);
    let for_date = |d: NaiveDate| -> Instant {
        match meaning {
            // Today's date before noon means now: `kept --at 2026-11-27` at
            // 09:00 logs what happened this morning instead of refusing 12:00
            // as a future time (docs/cli.md).
            DateMeaning::Noon if d == today => resolve_local(tz, d.and_hms_opt(12, 0, 0).expect("noon")).min(now),
            DateMeaning::Noon => resolve_local(tz, d.and_hms_opt(12, 0, 0).expect("noon")),
            DateMeaning::Start => day_start(tz, d),
            DateMeaning::End => day_end(tz, d),
        }
    };
    let t = match lower.as_str() {
        "now" => now,
        "today" => match meaning {
            DateMeaning::Noon => now,
            _ => for_date(today),
        },
        "yesterday" => match meaning {
            DateMeaning::Noon => shift_days(tz, now, -1),
            _ => for_date(today.pred_opt().ok_or_else(bad)?),
        },
        "tomorrow" => match meaning {
            DateMeaning::Noon => shift_days(tz, now, 1),
            _ => for_date(today.succ_opt().ok_or_else(bad)?),
        },
        _ => {
            if let Some(ago) = lower.strip_suffix("ago") {
                // "3d ago", and the words: "2 days ago", "an hour ago".
                let span = super::phrases::ago(&lower).unwrap_or_else(|| ago.trim().to_string());
                let d = parse_duration(&span).map_err(|_| bad())?;
                d.before(tz, now)
            } else if let Some(typed) = parse_rfc3339_loose(s) {
                // With an offset given, the year is read at that offset.
                let t = typed.with_timezone(&Utc);
                if check_year(typed.year()).is_err() || !in_range(t) {
                    return Err(out_of_range());
                }
                return Ok(t);
            } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                check_year(d.year()).map_err(|_| out_of_range())?;
                for_date(d)
            } else if let Some(naive) = parse_local_datetime(s) {
                check_year(naive.year()).map_err(|_| out_of_range())?;
                resolve_local(tz, naive)
            } else if let Some(span) = super::phrases::ago(s) {
                parse_duration(&span).map_err(|_| bad())?.before(tz, now)
            } else {
                // Words people type: "friday", "last friday", "1 dec", "2026-11-28 7pm".
                let lean = match meaning {
                    DateMeaning::End => super::phrases::Lean::Future,
                    _ => super::phrases::Lean::Past,
                };
                match super::phrases::day_and_time(s, today, lean) {
                    Some((d, _)) if check_year(d.year()).is_err() => return Err(out_of_range()),
                    Some((d, Some(t))) => resolve_local(tz, d.and_time(t)),
                    Some((d, None)) => for_date(d),
                    None => return Err(bad()),
                }
            }
        }
    };
    // The year as the person reads it, in the zone the time belongs to (the
    // end of 2999-12-31, 24:00, is that day).
    let year = |t: Instant| t.with_timezone(&tz).year();
    if !in_range(t) || (check_year(year(t)).is_err() && check_year(year(t - Duration::seconds(1))).is_err()) {
        return Err(out_of_range());
    }
    Ok(t)
}

fn check_year(y: i32) -> Result<(), ()> {
    if (MIN_YEAR..=MAX_YEAR).contains(&y) { Ok(()) } else { Err(()) }
}

/// RFC 3339, also with a space for the `T`; at the offset it was typed in.
fn parse_rfc3339_loose(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)).ok()
}

/// `2026-11-20 19:30`, `2026-11-20T19:30`, with optional seconds.
pub fn parse_local_datetime(s: &str) -> Option<NaiveDateTime> {
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    None
}

/// A wall-clock time that a clock change skips or repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OddWallClock {
    /// In the spring-forward gap: read with the offset before it (§2).
    Skipped(NaiveDateTime),
    /// In the fall-back overlap: read as the first; the second is given.
    Repeated(NaiveDateTime, Instant),
}

/// Whether a `WHEN` typed without an offset ("2026-03-29 02:30", "sunday
/// 2:30am") names a local time that `tz` skips or repeats — so the person
/// can be told how it was read. None for an offset, a date alone, "now",
/// "3d ago" and every ordinary time.
pub fn odd_wall_clock(input: &str, now: Instant, tz: Tz) -> Option<OddWallClock> {
    let s = input.trim();
    if parse_rfc3339_loose(s).is_some() || s.to_ascii_lowercase().ends_with("ago") {
        return None;
    }
    let naive = parse_local_datetime(s).or_else(|| {
        let (d, t) = super::phrases::day_and_time(s, local_date(tz, now), super::phrases::Lean::Past)?;
        Some(d.and_time(t?))
    })?;
    match tz.from_local_datetime(&naive) {
        LocalResult::None => Some(OddWallClock::Skipped(naive)),
        LocalResult::Ambiguous(a, b) => Some(OddWallClock::Repeated(naive, a.to_utc().max(b.to_utc()))),
        LocalResult::Single(_) => None,
    }
}

/// `now` moved by whole calendar days in `tz` (a day across a clock change is
/// 23 or 25 hours).
pub fn shift_days(tz: Tz, t: Instant, days: i64) -> Instant {
    let naive = local(tz, t);
    let moved = if days >= 0 {
        naive.checked_add_days(Days::new(days as u64))
    } else {
        naive.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.map(|n| resolve_local(tz, n)).unwrap_or(t)
}

/// A `DURATION`: calendar days (weeks are 7 days) plus clock minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub days: i64,
    pub minutes: i64,
}

pub const DURATION_HINT: &str = "use 30m, 90m, 2h, 1h30m, 1d or 1w";

/// Why a `DURATION` was refused; `Display` is the `error:` line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("could not read the duration \"{}\"", printable(.0))]
    Unreadable(String),
    #[error("the duration \"{}\" is longer than troth handles (at most 10 years)", printable(.0))]
    TooLong(String),
    /// A reminder lead is stored in at most 20 characters.
    #[error("the duration \"{}\" is longer than 20 characters; write it shorter, e.g. 1w2d", printable(.0))]
    TooLongToStore(String),
}

/// Parse `30m`, `90m`, `2h`, `1h30m`, `1d`, `1w` and combinations.
pub fn parse_duration(input: &str) -> Result<Span, DurationError> {
    let s: String = input.trim().to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let bad = || DurationError::Unreadable(input.into());
    if s.is_empty() {
        return Err(bad());
    }
    let mut span = Span::default();
    let mut digits = String::new();
    let mut seen = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            if digits.len() > 6 {
                return Err(bad());
            }
            continue;
        }
        if digits.is_empty() || seen.contains(c) {
            return Err(bad());
        }
        let n: i64 = digits.parse().map_err(|_| bad())?;
        digits.clear();
        match c {
            'w' => span.days += n * 7,
            'd' => span.days += n,
            'h' => span.minutes += n * 60,
            'm' => span.minutes += n,
            _ => return Err(bad()),
        }
        seen.push(c);
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    if span.days > 366 * 10 || span.minutes > 366 * 24 * 60 {
        return Err(DurationError::TooLong(input.into()));
    }
    Ok(span)
}

impl Span {
    pub fn days(n: i64) -> Span {
        Span { days: n, minutes: 0 }
    }
    pub fn hours(n: i64) -> Span {
        Span { days: 0, minutes: n * 60 }
    }

    /// `t` minus this span: whole calendar days in `tz`, then clock minutes.
    pub fn before(&self, tz: Tz, t: Instant) -> Instant {
        shift_days(tz, t, -self.days) - Duration::minutes(self.minutes)
    }

    /// `t` plus this span.
    pub fn after(&self, tz: Tz, t: Instant) -> Instant {
        shift_days(tz, t, self.days) + Duration::minutes(self.minutes)
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        if self.days > 0 {
            out.push_str(&format!("{}d", self.days));
        }
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        if h > 0 {
            out.push_str(&format!("{h}h"));
        }
        if m > 0 || out.is_empty() {
            out.push_str(&format!("{m}m"));
        }
        f.write_str(&out)
    }
}

/// Text from a file, an argument or the environment, safe to print: control
/// characters (but newline and tab) and the invisible characters that
/// reorder text are shown escaped, so an escape sequence cannot reach the
/// terminal. The one helper every printed string goes through.
pub fn scrub(s: &str) -> String {
    if !s.chars().any(unsafe_char) {
        return s.to_string();
    }
    s.chars().map(|c| if unsafe_char(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

/// Control characters (but newline and tab) and the invisible characters
/// that reorder text.
pub fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Show user input safely in a message: control characters escaped once
/// (`\u{1b}`, not `\\u{1b}`), long input shortened.
pub fn printable(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(60) {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.extend(c.escape_debug());
        }
    }
    if s.chars().count() > 60 {
        out.push('…');
    }
    out.replace("\\\"", "\"").replace("\\'", "'")
}

/// Short human dates: "Fri 27 Nov", with the year when it differs from `now`'s.
pub fn human_date(t: Instant, tz: Tz, now: Instant) -> String {
    let l = t.with_timezone(&tz);
    if l.year() == now.with_timezone(&tz).year() {
        l.format("%a %-d %b").to_string()
    } else {
        l.format("%a %-d %b %Y").to_string()
    }
}

/// "Fri 27 Nov 19:00", omitting the time at the first instant of a day
/// (midnight, or 01:00 where the clocks skip midnight).
pub fn human_datetime(t: Instant, tz: Tz, now: Instant) -> String {
    let date = human_date(t, tz, now);
    if t == day_start(tz, local_date(tz, t)) { date } else { format!("{date} {}", clock(t, tz)) }
}

/// "19:00" — and "02:30 +02:00" where that wall-clock time happens twice
/// (the fall-back overlap), so the two 02:30s of one night are told apart
/// (docs/design.md §7: times are shown with the offset of their zone).
pub fn clock(t: Instant, tz: Tz) -> String {
    let l = t.with_timezone(&tz);
    let hm = l.format("%H:%M").to_string();
    match tz.from_local_datetime(&l.naive_local()) {
        LocalResult::Ambiguous(..) => format!("{hm} {}", l.format("%:z")),
        _ => hm,
    }
}

#[cfg(test)]
mod tests;

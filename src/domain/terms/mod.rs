//! Terms: what exactly was promised — pure parsing and printing.
//!
//! Owns the four kinds of docs/design.md §1 (quota, schedule, deadline, standing),
//! the phrases people type for them ("2 weekends a month", "twice a week",
//! "every fri 19:00", "by 2026-12-01") and their canonical printed form of
//! docs/cli.md. `parse(print(t)) == t` for every value (property-tested).

use chrono::{NaiveDate, NaiveTime, Timelike, Weekday};
use std::fmt;

mod parse;
pub use parse::{TermsError, parse};

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

#[cfg(test)]
mod tests;

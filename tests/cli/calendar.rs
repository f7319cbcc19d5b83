//! The iCalendar and CSV exports read back: the calendar's occurrences,
//! expanded by the `rrule` crate from what the `icalendar` crate parses, are
//! exactly troth's slots (past and future, pauses and amends included), and
//! the CSV reads back cell for cell. The external clients (Python, libical,
//! ical.js) are checked in .ci/ics-check.py.

use crate::support::TestEnv;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use icalendar::{Calendar, CalendarComponent, Component};
use std::collections::BTreeMap;

const UNTIL: &str = "2027-06-30";
/// The end of UNTIL in Berlin: the export's last instant.
const UNTIL_END: &str = "2027-07-01T00:00:00+02:00";

/// Two zones, every kind of terms, a history with a pause, a resume, amends
/// past and pending, a retirement, `--ends`, a void, and occurrences in the
/// spring-forward gap and the fall-back overlap.
fn ledger() -> TestEnv {
    let mut env = TestEnv::berlin();
    let t0 = "2025-10-01T10:00:00+02:00";
    env.set_now(t0);
    let p = |env: &TestEnv, text: &str, terms: &str, slug: &str, extra: &[&str]| {
        let mut a = vec!["promise", text, "--terms", terms, "--slug", slug, "--starts", "2025-10-01", "--anyway"];
        a.extend_from_slice(extra);
        env.ok(&a);
    };
    p(&env, "Date night", "every fri 19:00", "date-night", &[]);
    p(&env, "Budget talk", "monthly on 31 09:00", "budget", &[]);
    p(&env, "Rent check", "monthly on 30 08:00", "rent", &["--zone", "America/New_York"]);
    p(&env, "Early run", "every sun 02:30", "run", &["--zone", "America/New_York"]);
    p(&env, "Sunday walk", "every sun 02:30", "walk", &[]);
    p(&env, "Market", "every sat", "market", &["--ends", "2026-12-31"]);
    p(&env, "Weekends", "2 weekends a month", "weekends", &[]);
    p(&env, "Call mum", "every mon,wed 07:30", "call", &[]);
    p(&env, "Class", "every thu 20:00", "class", &[]);
    p(&env, "Typo", "every tue 10:00", "typo", &[]);
    p(&env, "Call if late", "standing", "late", &[]);
    env.set_now("2026-01-10T12:00:00+01:00");
    env.ok(&["amend", "date-night", "--terms", "every sat 18:00", "--anyway"]);
    env.ok(&["pause", "call"]);
    env.set_now("2026-02-20T12:00:00+01:00");
    env.ok(&["resume", "call"]);
    env.ok(&["amend", "weekends", "--terms", "3/month", "--anyway"]);
    env.set_now("2026-05-10T12:00:00+02:00");
    env.ok(&["retire", "class"]);
    env.set_now("2026-11-23T18:00:00+01:00");
    env.ok(&["void", "--agreement", "typo"]);
    env.ok(&["promise", "Fix the sink", "--terms", "by 2026-12-01 18:00", "--slug", "sink"]);
    env.ok(&["promise", "Tulips", "--terms", "by 2026-12-10", "--slug", "tulips"]);
    env.ok(&["amend", "date-night", "--terms", "every fri,sat 19:30", "--from", "2027-01-01", "--anyway"]);
    env.ok(&["amend", "weekends", "--terms", "1/week", "--from", "2027-02-01", "--anyway"]);
    env.ok(&["pause", "budget"]);
    env
}

/// (agreement uuid, component, wall clock in the promise's zone, UTC instant).
pub(crate) type Occurrence = (String, &'static str, String, String);

pub(crate) fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What troth says: every slot of every promise that is not void, due by
/// UNTIL_END, from `show --json` read at that time (slots are listed once
/// they have begun).
fn troth_slots(env: &mut TestEnv) -> (Vec<Occurrence>, BTreeMap<String, chrono_tz::Tz>) {
    let now = env.now.clone();
    env.set_now("2027-07-01T12:00:00+02:00");
    let until = DateTime::parse_from_rfc3339(UNTIL_END).unwrap();
    let mut out = Vec::new();
    let mut zones = BTreeMap::new();
    for a in env.json(&["list", "--all"]).as_array().unwrap() {
        let uuid = a["uuid"].as_str().unwrap().to_string();
        zones.insert(uuid.clone(), a["zone"].as_str().unwrap().parse().unwrap());
        if a["void"].as_bool().unwrap() {
            continue;
        }
        let show = env.json(&["show", &a["id"].to_string()]);
        for s in show["slots"].as_array().unwrap() {
            let due = DateTime::parse_from_rfc3339(s["due"].as_str().unwrap()).unwrap();
            if due > until {
                continue;
            }
            let terms = s["terms"].as_str().unwrap();
            let schedule = terms.starts_with("every") || terms.starts_with("monthly");
            let wall = s["due"].as_str().unwrap()[..19].to_string();
            out.push(match (schedule, terms.contains(':')) {
                (true, true) => (uuid.clone(), "event", wall, utc(due.to_utc())),
                (true, false) => (uuid.clone(), "event", s["start"].as_str().unwrap()[..10].to_string(), "-".into()),
                _ => (uuid.clone(), "todo", wall, utc(due.to_utc())),
            });
        }
    }
    env.set_now(&now);
    out.sort();
    (out, zones)
}

/// A DATE-TIME value as the export writes it: local with TZID, or UTC.
fn instant(value: &str, tzid: Option<&str>) -> DateTime<Utc> {
    match tzid {
        Some(z) => {
            let tz: chrono_tz::Tz = z.parse().unwrap();
            let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").unwrap();
            tz.from_local_datetime(&naive).single().expect("local times in the export are unambiguous").to_utc()
        }
        None => chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ").unwrap().and_utc(),
    }
}

/// What a client reads: every occurrence the file describes.
pub(crate) fn calendar_occurrences(text: &str, zones: &BTreeMap<String, chrono_tz::Tz>) -> Vec<Occurrence> {
    let cal: Calendar = text.parse().expect("the icalendar crate parses the export");
    let mut out = Vec::new();
    let wall = |uuid: &str, t: DateTime<Utc>| t.with_timezone(&zones[uuid]).format("%Y-%m-%dT%H:%M:%S").to_string();
    for c in &cal.components {
        let (kind, comp): (&'static str, Getter) = match c {
            CalendarComponent::Event(e) => ("event", &|k| prop(e, k)),
            CalendarComponent::Todo(t) => ("todo", &|k| prop(t, k)),
            _ => continue,
        };
        let uid = comp("UID").unwrap().0;
        let uuid = uid[..36].to_string();
        if kind == "todo" {
            let (due, tzid, _) = comp("DUE").expect("every to-do has a DUE");
            let t = instant(&due, tzid.as_deref());
            out.push((uuid.clone(), "todo", wall(&uuid, t), utc(t)));
            continue;
        }
        let (start, tzid, value) = comp("DTSTART").unwrap();
        let all_day = value.as_deref() == Some("DATE");
        let rrule = comp("RRULE").map(|r| r.0);
        let dates: Vec<DateTime<Utc>> = match (&rrule, all_day) {
            (None, false) => vec![instant(&start, tzid.as_deref())],
            (None, true) => {
                vec![NaiveDate::parse_from_str(&start, "%Y%m%d").unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc()]
            }
            (Some(rule), false) => {
                let head = match &tzid {
                    Some(z) => format!("DTSTART;TZID={z}:{start}"),
                    None => format!("DTSTART:{start}"),
                };
                let set: rrule::RRuleSet = format!("{head}\nRRULE:{rule}").parse().expect("rrule reads the rule");
                set.all(u16::MAX).dates.iter().map(|d| d.to_utc()).collect()
            }
            (Some(rule), true) => {
                // An all-day rule: expand at midnight UTC, dates only.
                let until_date = rule.split("UNTIL=").nth(1).unwrap().to_string();
                assert_eq!(until_date.len(), 8, "a date-only DTSTART has a DATE UNTIL: {rule}");
                let rule = rule.replace(&format!("UNTIL={until_date}"), &format!("UNTIL={until_date}T000000Z"));
                let set: rrule::RRuleSet =
                    format!("DTSTART:{start}T000000Z\nRRULE:{rule}").parse().expect("rrule reads the rule");
                set.all(u16::MAX).dates.iter().map(|d| d.to_utc()).collect()
            }
        };
        for d in dates {
            if all_day {
                out.push((uuid.clone(), "event", d.format("%Y-%m-%d").to_string(), "-".into()));
            } else {
                out.push((uuid.clone(), "event", wall(&uuid, d), utc(d)));
            }
        }
    }
    out.sort();
    out
}

/// A property's value and its TZID and VALUE parameters.
type Prop = (String, Option<String>, Option<String>);

/// Reads one property of a component.
type Getter<'a> = &'a dyn Fn(&str) -> Option<Prop>;

/// A property's value, TZID and VALUE parameters.
fn prop<C: Component>(c: &C, key: &str) -> Option<Prop> {
    let p = c.properties().get(key)?;
    let param = |k: &str| p.params().get(k).map(|x| x.value().to_string());
    Some((p.value().to_string(), param("TZID"), param("VALUE")))
}

#[test]
fn every_occurrence_in_the_calendar_is_a_slot_and_every_slot_is_in_it() {
    let mut env = ledger();
    let text = env.ok(&["export", "--format", "ics", "--until", UNTIL]);
    let (want, zones) = troth_slots(&mut env);
    let got = calendar_occurrences(&text, &zones);
    let missing: Vec<&Occurrence> = want.iter().filter(|w| !got.contains(w)).collect();
    let extra: Vec<&Occurrence> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:#?}\nextra {extra:#?}");
    assert_eq!(got.len(), want.len());
    // The history is there: the amended Friday, the last Saturday before the
    // pending change, the gap occurrence at 03:30 and the overlap one at the
    // first of the two 02:30s (Europe/Berlin).
    assert!(want.len() > 400, "{}", want.len());
    let wall: Vec<&str> = got.iter().map(|o| o.2.as_str()).collect();
    assert!(wall.contains(&"2025-10-03T19:00:00"));
    assert!(wall.contains(&"2026-12-26T18:00:00"));
    assert!(wall.contains(&"2027-01-01T19:30:00"));
    assert!(wall.contains(&"2026-03-08T03:30:00"));
    assert!(wall.contains(&"2026-03-29T03:30:00"));
    assert!(got.iter().any(|o| o.2 == "2026-10-25T02:30:00" && o.3 == "2026-10-25T00:30:00Z"), "the first 02:30");
}

#[test]
fn the_calendar_is_well_formed_for_strict_clients() {
    let env = ledger();
    let text = env.ok(&["export", "--format", "ics"]);
    assert_eq!(text.matches("\r\nPRODID:").count(), 1, "one PRODID");
    assert!(!text.contains("BYSETPOS"), "BYSETPOS is read differently by different clients");
    assert!(text.contains("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL="), "the last day of the month");
    assert!(text.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;UNTIL="), "the 30th in February");
    let cal: Calendar = text.parse().unwrap();
    let mut tzids: Vec<String> = Vec::new();
    for c in &cal.components {
        let (dtstart, rrule, due) = match c {
            CalendarComponent::Event(e) => (prop(e, "DTSTART"), prop(e, "RRULE"), None),
            CalendarComponent::Todo(t) => (prop(t, "DTSTART"), None, prop(t, "DUE")),
            _ => continue,
        };
        let (start, tz, value) = dtstart.expect("DTSTART");
        tzids.extend(tz.clone());
        if let Some((rule, ..)) = rrule {
            let until = rule.split("UNTIL=").nth(1).expect("every rule ends").split(';').next().unwrap();
            if value.as_deref() == Some("DATE") {
                assert_eq!(until.len(), 8, "a DATE UNTIL with a DATE DTSTART: {rule}");
            } else {
                assert!(until.ends_with('Z') && until.len() == 16, "a UTC UNTIL with a DATE-TIME DTSTART: {rule}");
                assert!(start.len() == 15 || start.ends_with('Z'));
            }
        }
        if let Some((due, tz, value)) = due {
            assert!(value.is_none() && due.contains('T'), "a quota's or deadline's DUE has a time: {due}");
            tzids.extend(tz);
        }
    }
    for tz in tzids {
        assert!(text.contains(&format!("BEGIN:VTIMEZONE\r\nTZID:{tz}\r\n")), "a VTIMEZONE for {tz}");
    }
    // Each VTIMEZONE reaches back before the first occurrence (October 2025).
    let berlin = &text[text.find("TZID:Europe/Berlin\r\n").unwrap()..];
    let first = berlin.split("DTSTART:").nth(1).unwrap();
    assert!(first < "20250930", "{first}");
}

#[test]
fn from_and_until_bound_the_calendar() {
    let env = ledger();
    let text = env.ok(&["export", "--format", "ics", "--from", "2026-12-01", "--until", "2026-12-31"]);
    let zones = env
        .json(&["list", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["uuid"].as_str().unwrap().to_string(), a["zone"].as_str().unwrap().parse().unwrap()))
        .collect();
    let got = calendar_occurrences(&text, &zones);
    assert!(!got.is_empty());
    for o in &got {
        assert!(o.2.as_str() >= "2026-12-01" && o.2.as_str() <= "2027-01-01T00:00:00", "{o:?}");
    }
    // December's quota period is due at 24:00 on the 31st: included.
    assert!(got.iter().any(|o| o.1 == "todo" && o.2 == "2027-01-01T00:00:00"));
    let err = env.fails(2, &["export", "--format", "ics", "--from", "2027-01-01", "--until", "2026-01-01"]);
    assert!(err.contains("--until"), "{err}");
    let err = env.fails(2, &["export", "--format", "ics", "--until", "soon"]);
    assert!(err.contains("--until"), "{err}");
    env.fails(2, &["export", "--format", "csv", "--from", "2026-01-01"]);
}

#[test]
fn csv_cells_that_look_like_formulas_are_quoted_and_read_back() {
    let env = TestEnv::berlin();
    env.ok(&["promise", "=HYPERLINK(\"http://x\")", "--terms", "1/week", "--slug", "w", "--starts", "2026-11-01"]);
    for note in ["=1+2", "+49 30 123", "-minus", "@SUM(A1:A2)", "\tTab", "'=already", "plain, with \"quotes\""] {
        env.ok(&["kept", "w", "--at", "2026-11-20 10:00", &format!("--note={note}")]);
    }
    let out = env.ok(&["export", "--format", "csv"]);
    assert!(out.ends_with("\r\n"), "RFC 4180 line ends");
    assert_eq!(out.matches("\r\n").count(), out.matches('\n').count(), "every line ends in CRLF");
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let notes: Vec<&str> = rows.iter().map(|x| &x[7]).collect();
    assert_eq!(
        notes,
        ["'=1+2", "'+49 30 123", "'-minus", "'@SUM(A1:A2)", "'\tTab", "''=already", "plain, with \"quotes\""]
    );
    let back: Vec<&str> = notes.iter().map(|n| troth::interchange::csv::unguard(n)).collect();
    assert_eq!(back, ["=1+2", "+49 30 123", "-minus", "@SUM(A1:A2)", "\tTab", "'=already", "plain, with \"quotes\""]);
    assert_eq!(&rows[0][2], "'=HYPERLINK(\"http://x\")");
    // Times and ids are never touched.
    assert!(rows.iter().all(|x| x[6].starts_with("2026-11-20T10:00:00")));
}

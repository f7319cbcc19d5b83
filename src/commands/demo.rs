//! `troth demo`: a ledger of its own that tells the documents' story, then
//! its report, trend and over-promising — and, with `--agreements N --years Y`,
//! deterministic synthetic ledgers for benchmarks and tests.

use crate::Env;
use crate::cli::{DemoArgs, OverpromisingArgs, ReportArgs, TrendArgs};
use crate::domain::Outcome;
use crate::domain::terms;
use crate::domain::time::{Instant, day_start, local_date, resolve_local};
use crate::error::{Error, Result};
use crate::ledger::{Access, Ledger, NewAgreement, Tx};
use chrono::{Datelike, Days, Duration, Months, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use std::io::Write;
use std::path::Path;

/// splitmix64: a tiny, stable generator, so a seed always gives the same ledger.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
    }
}

pub fn run(env: &Env, a: &DemoArgs, out: &mut dyn Write) -> Result<()> {
    let path = if env.db_flag { env.db.clone() } else { env.demo_db.clone() };
    let shown = crate::domain::time::printable(&path.display().to_string());
    crate::ledger::files::guard_companion(&path)?;
    if path.exists() {
        // The demo writes only ledgers it made itself (they carry its mark),
        // and rebuilds its own one only when --db did not name it.
        if !Ledger::is_demo(&path)? {
            return Err(Error::usage(format!("{shown} is not a ledger the demo made; the demo will not touch it"))
                .hint("give --db a path where no ledger exists yet, or run `troth demo` without --db"));
        }
        if env.db_flag {
            return Err(Error::usage(format!("{shown} already holds a demo; the demo writes only to a new ledger"))
                .hint("give --db a path where no ledger exists yet, or run `troth demo` without --db"));
        }
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(crate::ledger::files::with_suffix(&path, suffix));
        }
    }
    let zone = env.home_zone()?;
    let mut ledger = Ledger::open(&path, Access::Write, env.now, || Ok(zone))?;
    ledger.mark_demo()?;
    let now = env.now;
    match (a.agreements, a.years) {
        (Some(n), Some(y)) => {
            if n == 0 || n > 1000 || y == 0 || y > 50 {
                return Err(Error::usage("--agreements is 1–1000 and --years 1–50"));
            }
            let count = build_synthetic(&mut ledger, zone, now, n, y, a.seed)?;
            ledger.persist()?;
            if env.json {
                return crate::render::json::write_json(
                    out,
                    &serde_json::json!({"db": path.display().to_string(), "agreements": n, "years": y, "entries": count}),
                );
            }
            let many = |k: u64, one: &str, more: &str| format!("{k} {}", if k == 1 { one } else { more });
            writeln!(
                out,
                "synthetic ledger: {} — {}, {}, {}",
                crate::domain::time::scrub(&path.display().to_string()),
                many(n as u64, "promise", "promises"),
                many(y as u64, "year", "years"),
                many(count as u64, "entry", "entries")
            )?;
            Ok(())
        }
        _ => {
            build_story(&mut ledger, zone, now)?;
            ledger.persist()?;
            show_story(env, &path, &mut ledger, out)
        }
    }
}

fn show_story(env: &Env, path: &Path, ledger: &mut Ledger, out: &mut dyn Write) -> Result<()> {
    let ctx = super::Ctx { env, settings: ledger.settings()?, now: env.now };
    if env.json {
        return super::report::report(
            &ctx,
            ledger,
            ReportArgs { week: None, by: None, format: None, output: None, weeks: 1 },
            out,
        );
    }
    let db = crate::domain::time::scrub(&path.display().to_string());
    writeln!(out, "A demo ledger for Alex & Sam, in {db} — your own ledger is untouched.\n")?;
    super::report::report(
        &ctx,
        ledger,
        ReportArgs { week: None, by: None, format: None, output: None, weeks: 1 },
        out,
    )?;
    writeln!(out)?;
    super::trend::trend(&ctx, ledger, TrendArgs { agreement: None, by: None, weeks: 12, svg: None }, out)?;
    writeln!(out)?;
    super::overpromising::overpromising(&ctx, ledger, OverpromisingArgs { by: None, slots: None }, out)?;
    writeln!(out, "\nLook closer:  troth --db {db} show weekends     (how its trust was reached, step by step)")?;
    writeln!(out, "              troth --db {db} report --format markdown")?;
    writeln!(out, "Start your own: troth init --me YOU --partner THEM")?;
    Ok(())
}

struct Writer<'t> {
    tx: Tx<'t>,
    rng: Rng,
    zone: Tz,
}

impl Writer<'_> {
    #[allow(clippy::too_many_arguments)]
    fn promise(
        &mut self,
        slug: &str,
        text: &str,
        by: &str,
        to: &str,
        terms: &str,
        starts: Instant,
        created: Instant,
    ) -> Result<i64> {
        let id = self.tx.add_agreement(&NewAgreement {
            uuid: self.rng.uuid(),
            slug,
            text,
            by,
            to,
            zone: self.zone,
            starts,
            ends: None,
            remind: None,
            created_at: created,
        })?;
        self.amend(id, terms, starts, created, None)?;
        Ok(id)
    }

    fn amend(&mut self, id: i64, terms: &str, effective: Instant, created: Instant, note: Option<&str>) -> Result<()> {
        let parsed =
            terms::parse(terms, local_date(self.zone, effective)).map_err(|e| Error::failure(e.to_string()))?;
        let uuid = self.rng.uuid();
        let canonical = parsed.terms.to_string();
        self.tx.add_version(&uuid, id, &canonical, parsed.unit.as_deref(), effective, note, created)?;
        Ok(())
    }

    /// Logged when it happened.
    fn log(&mut self, id: i64, outcome: Outcome, at: Instant, note: Option<&str>, by: &str) -> Result<i64> {
        self.log_before(id, outcome, at, at, note, by)
    }

    fn log_before(
        &mut self,
        id: i64,
        outcome: Outcome,
        at: Instant,
        logged: Instant,
        note: Option<&str>,
        by: &str,
    ) -> Result<i64> {
        let uuid = self.rng.uuid();
        self.tx.add_entry(&uuid, id, outcome, at, note, by, logged)
    }

    fn local(&self, date: NaiveDate, h: u32, m: u32) -> Instant {
        resolve_local(self.zone, date.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("time")))
    }
}

/// The documents' story, ending at `now`: two partners, months of promises
/// kept, broken and excused, an over-promise, and one renegotiated.
fn build_story(ledger: &mut Ledger, zone: Tz, now: Instant) -> Result<()> {
    let today = local_date(zone, now);
    let tx = ledger.write()?;
    let mut w = Writer { tx, rng: Rng(7), zone };
    for (key, value) in [("me", "Alex"), ("partner", "Sam")] {
        let uuid = w.rng.uuid();
        w.tx.set_setting(&uuid, key, value, now - Duration::days(200))?;
    }
    // In this order: the generator's draws, and so the story, depend on it.
    weekends(&mut w, today, now)?;
    date_night(&mut w, today, now)?;
    cooking(&mut w, today, now)?;
    call_if_late(&mut w, now)?;
    deadlines(&mut w, today, now)?;
    w.tx.commit()?;
    Ok(())
}

/// weekends: 4 a month promised, 4, 2, 2, 1, 3, 2 delivered — the documents' example.
fn weekends(w: &mut Writer, today: NaiveDate, now: Instant) -> Result<()> {
    let zone = w.zone;
    let this_month = today.with_day(1).expect("day 1");
    let month = |k: u32| this_month - Months::new(k);
    let ago = |d: u64| now - Duration::days(d as i64);
    let weekends = w.promise(
        "weekends",
        "I will spend 4 weekends each month just with you",
        "Alex",
        "Sam",
        "4 weekends a month",
        day_start(zone, month(6)),
        ago(200),
    )?;
    for (k, kept) in [(6u32, 4u32), (5, 2), (4, 2), (3, 1), (2, 3), (1, 2)] {
        let m = month(k);
        let saturdays: Vec<NaiveDate> = (0..31)
            .map(|d| m + Days::new(d))
            .filter(|d| d.month() == m.month() && d.weekday() == chrono::Weekday::Sat)
            .collect();
        for (i, sat) in saturdays.iter().take(kept as usize).enumerate() {
            let note = (i == 0 && k == 1).then_some("hiking at the lake");
            w.log(weekends, Outcome::Kept, w.local(*sat, 15, 0), note, "Alex")?;
        }
    }
    // This month so far: one weekend.
    let first_sat =
        (0..7).map(|d| this_month + Days::new(d)).find(|d| d.weekday() == chrono::Weekday::Sat).expect("a Saturday");
    if w.local(first_sat, 15, 0) < now {
        w.log(weekends, Outcome::Kept, w.local(first_sat, 15, 0), None, "Alex")?;
    }
    Ok(())
}

/// date night: every Friday, mostly kept; one broken, one excused, one missed.
fn date_night(w: &mut Writer, today: NaiveDate, now: Instant) -> Result<()> {
    let zone = w.zone;
    let start = day_start(zone, today - Days::new(16 * 7));
    let date_night =
        w.promise("date-night", "Date night every Friday", "Alex", "Sam", "every fri 19:00", start, start)?;
    let mut d = local_date(zone, start);
    let mut k = 0;
    while w.local(d, 19, 0) + Duration::hours(4) < now {
        if d.weekday() == chrono::Weekday::Fri {
            k += 1;
            match k {
                4 => {
                    w.log(date_night, Outcome::Broken, w.local(d, 19, 0), Some("stayed late at work"), "Alex")?;
                }
                7 => {
                    let logged = w.local(d - Days::new(4), 9, 0);
                    w.log_before(
                        date_night,
                        Outcome::Excused,
                        w.local(d, 12, 0),
                        logged,
                        Some("Sam travels for work"),
                        "Sam",
                    )?;
                }
                10 => {} // nobody wrote anything down: missed
                _ => {
                    w.log(date_night, Outcome::Kept, w.local(d, 21, 30), None, "Alex")?;
                }
            }
        }
        d = d + Days::new(1);
    }
    Ok(())
}

/// cooking: Sam promised 5 a week, delivered about 3; renegotiated to 3 a week.
fn cooking(w: &mut Writer, today: NaiveDate, now: Instant) -> Result<()> {
    let zone = w.zone;
    let cook_start = day_start(zone, crate::domain::time::week_monday(today) - Days::new(7 * 14));
    let cook = w.promise(
        "cook",
        "I will cook dinner five times a week",
        "Sam",
        "Alex",
        "5 times a week",
        cook_start,
        cook_start,
    )?;
    let renegotiated = day_start(zone, crate::domain::time::week_monday(today) - Days::new(7 * 5));
    w.amend(
        cook,
        "3 times a week",
        renegotiated,
        renegotiated - Duration::days(3),
        Some("5 was too many with the new job"),
    )?;
    let mut day = local_date(zone, cook_start);
    while w.local(day, 19, 30) < now {
        let keep = if w.local(day, 0, 0) < renegotiated {
            matches!(day.weekday(), chrono::Weekday::Mon | chrono::Weekday::Wed | chrono::Weekday::Sat)
                || w.rng.chance(10)
        } else {
            matches!(day.weekday(), chrono::Weekday::Mon | chrono::Weekday::Wed | chrono::Weekday::Sat)
        };
        if keep {
            w.log(cook, Outcome::Kept, w.local(day, 19, 30), None, "Sam")?;
        }
        day = day + Days::new(1);
    }
    Ok(())
}

/// A standing rule: call if running late.
fn call_if_late(w: &mut Writer, now: Instant) -> Result<()> {
    let ago = |d: u64| now - Duration::days(d as i64);
    let call = w.promise("call-if-late", "Call if I'm running late", "Sam", "Alex", "standing", ago(120), ago(120))?;
    for (days, outcome, note) in [
        (110, Outcome::Kept, None),
        (80, Outcome::Kept, Some("texted from the train")),
        (52, Outcome::Broken, Some("phone died; I should have borrowed one")),
        (30, Outcome::Kept, None),
        (9, Outcome::Kept, None),
    ] {
        w.log(call, outcome, ago(days), note, "Sam")?;
    }
    Ok(())
}

/// A deadline kept a day late, one still ahead, and a mistake corrected:
/// logged on the wrong promise, then voided.
fn deadlines(w: &mut Writer, today: NaiveDate, now: Instant) -> Result<()> {
    let zone = w.zone;
    let ago = |d: u64| now - Duration::days(d as i64);
    let sink_start = ago(40);
    let sink_due = local_date(zone, ago(30));
    let sink = w.promise(
        "sink",
        "Fix the sink by Saturday",
        "Alex",
        "Sam",
        &format!("by {sink_due}"),
        sink_start,
        sink_start,
    )?;
    w.log(sink, Outcome::Kept, w.local(sink_due + Days::new(1), 11, 0), Some("a day late, but it's fixed"), "Alex")?;
    let trip_due = today + Days::new(10);
    w.promise("trip", "Book the anniversary trip", "Alex", "Sam", &format!("by {trip_due} 18:00"), ago(5), ago(5))?;

    // A mistake, corrected: logged on the wrong promise, then voided.
    let wrong = w.log(sink, Outcome::Kept, ago(20), Some("meant for date night"), "Alex")?;
    let uuid = w.rng.uuid();
    w.tx.void_entry(&uuid, wrong, Some("logged on the wrong promise"), ago(20))?;
    Ok(())
}

/// About 200 entries per agreement-year, deterministic for a seed: every kind
/// of terms, mostly kept, some broken, history ending at the start of `now`'s day.
pub fn build_synthetic(ledger: &mut Ledger, zone: Tz, now: Instant, n: u32, years: u32, seed: u64) -> Result<u64> {
    let end = day_start(zone, local_date(zone, now));
    let start_date = local_date(zone, end) - Months::new(12 * years);
    let start = day_start(zone, start_date);
    let kinds = ["every mon,wed,fri 07:30", "4/week", "1/day", "standing", "every day 21:00", "2/month", "every sat"];
    let tx = ledger.write()?;
    let mut w = Writer { tx, rng: Rng(seed), zone };
    let mut count = 0u64;
    let span = (end - start).num_seconds().max(1) as u64;
    for i in 0..n {
        let terms = kinds[i as usize % kinds.len()];
        let by = if i % 2 == 0 { "Alex" } else { "Sam" };
        let to = if i % 2 == 0 { "Sam" } else { "Alex" };
        let id = w.promise(
            &format!("promise-{}", i + 1),
            &format!("Synthetic promise {} ({terms})", i + 1),
            by,
            to,
            terms,
            start,
            start,
        )?;
        let entries = 200 * years as u64;
        let mut times: Vec<u64> = (0..entries).map(|_| w.rng.below(span)).collect();
        times.sort_unstable();
        for t in times {
            let at = start + Duration::seconds(t as i64);
            let outcome = if w.rng.chance(85) { Outcome::Kept } else { Outcome::Broken };
            let uuid = w.rng.uuid();
            w.tx.add_entry(&uuid, id, outcome, at, None, by, at)?;
            count += 1;
        }
    }
    w.tx.commit()?;
    Ok(count)
}

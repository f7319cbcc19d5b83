//! The same facts give the same screens (docs/design.md §9), through the real
//! binary: ledgers that received the same facts in different orders — in
//! pieces, through `troth import` — print the same JSON once local ids are
//! set aside; and what they print agrees with a small model of the rules
//! written here from docs/design.md, not from the code.
//!
//! The property test makes its facts the way people do: two or three devices
//! start from one ledger and then each runs random writing commands offline
//! with its own moving clock (sometimes passing a file to another), so every
//! kind of promise, amend, pause/resume/retire, entry and void appears, with
//! clashing slugs, entries at the same instant and voids of one entry on
//! both sides. `TROTH_CONVERGE_CASES` runs more cases than the default,
//! `TROTH_CONVERGE_SEED` one case again.

use crate::support::TestEnv;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::{Rng, RngCore};
use proptest::test_runner::{RngAlgorithm, TestRng};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const TZ: &str = "Europe/Berlin";

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A device: its own ledger and its own clock.
struct Device {
    env: TestEnv,
    now: DateTime<Utc>,
}

impl Device {
    fn new(now: DateTime<Utc>, me: &str, partner: &str) -> Device {
        let env = TestEnv::new(TZ, &utc(now));
        env.ok(&["init", "--me", me, "--partner", partner]);
        Device { env, now }
    }

    fn tick(&mut self, d: Duration) {
        self.now += d;
        self.env.now = utc(self.now);
    }

    /// Run a command that may be refused (exit 2) but never fails otherwise.
    fn try_run(&self, args: &[&str]) -> Option<String> {
        let r = self.env.run(args);
        assert!(r.code == 0 || r.code == 2, "troth {args:?} exited {}:\n{}{}", r.code, r.stdout, r.stderr);
        (r.code == 0).then_some(r.stdout)
    }

    fn export(&self) -> Value {
        self.env.json(&["export"])
    }

    fn import(&self, doc: &Value, name: &str) {
        let path = self.env.path(name);
        std::fs::write(&path, serde_json::to_string(doc).unwrap()).unwrap();
        self.env.ok(&["import", path.to_str().unwrap()]);
    }
}

/// Shared instants, so that entries on two devices sometimes tie exactly.
const SHARED_AT: &[&str] = &["2026-10-09T17:30:00+00:00", "2026-10-16T17:30:00+00:00", "2026-10-23T08:00:00+00:00"];

fn terms(rng: &mut TestRng, now: DateTime<Utc>) -> String {
    let by = |days: i64| (now + Duration::days(days)).format("%Y-%m-%d").to_string();
    match rng.random_range(0..14) {
        0 => "2/week".into(),
        1 => "3 times a month".into(),
        2 => "daily".into(),
        3 => "every fri 19:00".into(),
        4 => "every mon,wed 07:30".into(),
        5 => "every day 21:00".into(),
        6 => "monthly on 31 09:00".into(),
        7 => "every sat".into(),
        8 => format!("by {}", by(rng.random_range(2..30))),
        9 => format!("by {} 18:00", by(rng.random_range(2..30))),
        10 => "standing".into(),
        11 => "every other fri 19:00".into(),
        12 => "2 every 2 weeks".into(),
        _ => "1/week".into(),
    }
}

/// One device's offline session: random writing commands with its clock moving.
fn session(rng: &mut TestRng, d: &mut Device, ops: usize, counts: &mut (usize, usize), others: &[&Device]) {
    const TEXTS: &[&str] = &["Date night", "Walk together", "Call mum", "Cook dinner", "Weekends away"];
    for _ in 0..ops {
        let step = Duration::minutes(rng.random_range(10..2 * 24 * 60));
        d.tick(step);
        let agreement = |rng: &mut TestRng, n: usize| rng.random_range(1..=n.max(1)).to_string();
        let roll = rng.random_range(0..100);
        if roll < 14 || counts.0 == 0 {
            let text = TEXTS[rng.random_range(0..TEXTS.len())];
            let t = terms(rng, d.now);
            let mut args: Vec<String> = vec!["promise".into(), text.into(), "--terms".into(), t, "--anyway".into()];
            if rng.random_bool(0.4) {
                let s = d.now - Duration::days(rng.random_range(0..40));
                args.extend(["--starts".into(), s.format("%Y-%m-%d").to_string()]);
            }
            if rng.random_bool(0.3) {
                args.extend(["--by".into(), "Sam".into()]);
            }
            if rng.random_bool(0.15) {
                args.extend(["--zone".into(), "America/New_York".into()]);
            }
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            if d.try_run(&a).is_some() {
                counts.0 += 1;
            }
        } else if roll < 26 {
            let t = terms(rng, d.now);
            let id = agreement(rng, counts.0);
            let mut args = vec!["amend".to_string(), id, "--terms".into(), t, "--anyway".into()];
            if rng.random_bool(0.2) {
                let f = d.now + Duration::days(rng.random_range(7..40));
                args.extend(["--from".into(), f.format("%Y-%m-%d").to_string()]);
            }
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            d.try_run(&a);
        } else if roll < 38 {
            let verb = ["pause", "resume", "pause", "resume", "retire"][rng.random_range(0..5)];
            let id = agreement(rng, counts.0);
            d.try_run(&[verb, &id]);
        } else if roll < 78 {
            let verb = if rng.random_bool(0.8) { "kept" } else { "broke" };
            let when = if rng.random_bool(0.15) {
                SHARED_AT[rng.random_range(0..SHARED_AT.len())].to_string()
            } else {
                utc(d.now - Duration::minutes(rng.random_range(0..6 * 24 * 60)))
            };
            let id = agreement(rng, counts.0);
            if at(&when) <= d.now && d.try_run(&[verb, &id, "--at", &when]).is_some() {
                counts.1 += 1;
            }
        } else if roll < 84 {
            let id = agreement(rng, counts.0);
            if d.try_run(&["excuse", &id]).is_some() {
                counts.1 += 1;
            }
        } else if roll < 92 {
            if counts.1 > 0 {
                let id = rng.random_range(1..=counts.1).to_string();
                let reason = format!("void {}", rng.random_range(0..1000));
                d.try_run(&["void", &id, "--reason", &reason]);
            }
        } else if roll < 94 {
            let id = agreement(rng, counts.0);
            d.try_run(&["void", "--agreement", &id]);
        } else if !others.is_empty() {
            // A file passed over from another device (an export, imported here).
            let from = others[rng.random_range(0..others.len())];
            let doc = from.export();
            // It arrives here no earlier than it was made there.
            if from.now > d.now {
                let behind = from.now - d.now;
                d.tick(behind);
            }
            let path = d.env.path(&format!("from-{}.json", rng.next_u32()));
            std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
            let out = d.env.json(&["import", path.to_str().unwrap()]);
            counts.0 += out["agreements"].as_u64().unwrap() as usize;
            counts.1 += out["entries"].as_u64().unwrap() as usize;
        }
    }
}

/// The voids of one thing in an export: `null`, one object or a list.
fn voids(v: &Value) -> Vec<Value> {
    match v {
        Value::Null => vec![],
        Value::Array(a) => a.clone(),
        one => vec![one.clone()],
    }
}

/// Split an export into `n` self-contained documents: each status change,
/// void and entry goes to a random one, with the promise it belongs to
/// (made, with its first terms).
fn split(rng: &mut TestRng, doc: &Value, n: usize) -> Vec<Value> {
    let mut parts: Vec<(BTreeMap<String, Value>, Vec<Value>)> = (0..n).map(|_| (BTreeMap::new(), Vec::new())).collect();
    let by_uuid: HashMap<String, &Value> =
        doc["agreements"].as_array().unwrap().iter().map(|a| (a["uuid"].as_str().unwrap().to_string(), a)).collect();
    fn header<'a>(part: &'a mut BTreeMap<String, Value>, a: &Value) -> &'a mut Value {
        part.entry(a["uuid"].as_str().unwrap().to_string()).or_insert_with(|| {
            let mut h = a.clone();
            h["versions"] = json!([a["versions"][0].clone()]);
            h["statuses"] = json!([]);
            h["void"] = Value::Null;
            h
        })
    }
    for a in doc["agreements"].as_array().unwrap() {
        // A document's terms versions travel together: a deadline moved
        // before it was due names the version it replaces, and the door
        // checks that against what it has. (The documents of the devices
        // still bring each device's amends in any order.)
        let p = rng.random_range(0..n);
        header(&mut parts[p].0, a)["versions"] = a["versions"].clone();
        for s in a["statuses"].as_array().unwrap() {
            let p = rng.random_range(0..n);
            header(&mut parts[p].0, a)["statuses"].as_array_mut().unwrap().push(s.clone());
        }
        for v in voids(&a["void"]) {
            let p = rng.random_range(0..n);
            let h = header(&mut parts[p].0, a);
            let mut all = voids(&h["void"]);
            all.push(v);
            h["void"] = Value::Array(all);
        }
    }
    for e in doc["entries"].as_array().unwrap() {
        let a = by_uuid[e["agreement"].as_str().unwrap()];
        let p = rng.random_range(0..n);
        header(&mut parts[p].0, a);
        let mut plain = e.clone();
        plain["void"] = Value::Null;
        parts[p].1.push(plain);
        // Each void may travel in another piece than the entry (with it).
        for v in voids(&e["void"]) {
            let q = rng.random_range(0..n);
            header(&mut parts[q].0, a);
            let mut with = e.clone();
            with["void"] = v;
            parts[q].1.push(with);
        }
    }
    parts
        .into_iter()
        .filter(|(a, e)| !a.is_empty() || !e.is_empty())
        .map(|(a, e)| {
            json!({"format": doc["format"], "version": doc["version"], "settings": {},
                   "agreements": a.into_values().collect::<Vec<_>>(), "entries": e, "reminders": []})
        })
        .collect()
}

/// Local ids set aside: every `id`-like field goes (uuids stay).
fn without_ids(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "id" | "agreement_id" | "entry"))
                .map(|(k, x)| (k.clone(), without_ids(x)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_ids).collect()),
        other => other.clone(),
    }
}

/// Everything a ledger shows, keyed by screen.
fn screens(env: &TestEnv) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let list = env.json(&["list", "--all"]);
    for a in list.as_array().unwrap() {
        let id = a["id"].to_string();
        out.insert(format!("show {}", a["uuid"].as_str().unwrap()), without_ids(&env.json(&["show", &id])));
    }
    out.insert("list --all".into(), without_ids(&list));
    out.insert("list".into(), without_ids(&env.json(&["list"])));
    out.insert("log --all".into(), without_ids(&env.json(&["log", "--all"])));
    out.insert("report".into(), without_ids(&env.json(&["report"])));
    out.insert("report --week this".into(), without_ids(&env.json(&["report", "--week", "this"])));
    out.insert("trend".into(), without_ids(&env.json(&["trend"])));
    out.insert("overpromising".into(), without_ids(&env.json(&["overpromising"])));
    out.insert("due".into(), without_ids(&env.json(&["due", "--within", "30d"])));
    out
}

/// The union of every device's facts, by uuid — the model's input.
#[derive(Default)]
struct Union {
    agreements: BTreeMap<String, Value>,
    statuses: BTreeMap<String, BTreeMap<String, Value>>,
    agreement_voids: BTreeMap<String, BTreeSet<String>>,
    entries: BTreeMap<String, Value>,
    entry_voids: BTreeMap<String, BTreeMap<(String, String), Value>>,
}

impl Union {
    fn add(&mut self, doc: &Value) {
        for a in doc["agreements"].as_array().unwrap() {
            let u = a["uuid"].as_str().unwrap().to_string();
            self.agreements.entry(u.clone()).or_insert_with(|| a.clone());
            for s in a["statuses"].as_array().unwrap() {
                self.statuses.entry(u.clone()).or_default().insert(s["uuid"].as_str().unwrap().into(), s.clone());
            }
            for v in voids(&a["void"]) {
                self.agreement_voids.entry(u.clone()).or_default().insert(v["uuid"].as_str().unwrap().into());
            }
        }
        for e in doc["entries"].as_array().unwrap() {
            let u = e["uuid"].as_str().unwrap().to_string();
            self.entries.entry(u.clone()).or_insert_with(|| e.clone());
            for v in voids(&e["void"]) {
                let key = (utc(at(v["at"].as_str().unwrap())), v["uuid"].as_str().unwrap().to_string());
                self.entry_voids.entry(u.clone()).or_default().insert(key, v.clone());
            }
        }
    }

    /// docs/design.md §9: status changes in order of (effective, created, uuid);
    /// one that changes nothing has no effect; retirement is final. Returns
    /// when retirement took effect and the status at `now`.
    fn status(&self, agreement: &str, now: DateTime<Utc>) -> (Option<DateTime<Utc>>, &'static str) {
        let mut changes: Vec<(DateTime<Utc>, DateTime<Utc>, String, String)> = self
            .statuses
            .get(agreement)
            .map(|m| {
                m.values()
                    .map(|s| {
                        (
                            at(s["effective"].as_str().unwrap()),
                            at(s["created"].as_str().unwrap()),
                            s["uuid"].as_str().unwrap().to_string(),
                            s["status"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        changes.sort();
        // The state just after each instant at which something applies.
        let mut state = "active";
        let mut timeline: Vec<(DateTime<Utc>, &'static str)> = Vec::new();
        for (effective, _, _, status) in changes {
            let status: &'static str = match status.as_str() {
                "paused" => "paused",
                "retired" => "retired",
                _ => "active",
            };
            if state == "retired" || status == state {
                continue;
            }
            state = status;
            timeline.push((effective, state));
        }
        let retired = timeline.iter().find(|(_, s)| *s == "retired").map(|(t, _)| *t);
        let now_status = timeline.iter().rev().find(|(t, _)| *t <= now).map(|(_, s)| *s).unwrap_or("active");
        (retired, now_status)
    }
}

/// What the model says of each entry: counts, and why not.
fn model_entries(u: &Union, now: DateTime<Utc>) -> BTreeMap<String, (bool, Option<&'static str>, Option<String>)> {
    u.entries
        .iter()
        .map(|(uuid, e)| {
            let a = e["agreement"].as_str().unwrap();
            let first_void = u.entry_voids.get(uuid).and_then(|m| m.values().next());
            let (retired, _) = u.status(a, now);
            let why = if first_void.is_some() {
                Some("void")
            } else if u.agreement_voids.contains_key(a) {
                Some("promise void")
            } else if retired.is_some_and(|r| r <= at(e["at"].as_str().unwrap())) {
                Some("after retirement")
            } else {
                None
            };
            let reason = first_void.and_then(|v| v["reason"].as_str().map(str::to_string));
            (uuid.clone(), (why.is_none(), why, reason))
        })
        .collect()
}

/// docs/design.md §1, §9: among live promises a shared slug stays with the one made
/// first (created, then uuid); the others show `-2`, `-3`, … (skipping
/// numbers live promises use as their own slug).
fn model_slugs(u: &Union, now: DateTime<Utc>) -> BTreeMap<String, String> {
    let live = |uuid: &str| !u.agreement_voids.contains_key(uuid) && u.status(uuid, now).1 != "retired";
    let mut shown: BTreeMap<String, String> =
        u.agreements.iter().map(|(k, a)| (k.clone(), a["slug"].as_str().unwrap().to_string())).collect();
    let mut taken: BTreeSet<String> =
        u.agreements.iter().filter(|(k, _)| live(k)).map(|(_, a)| a["slug"].as_str().unwrap().to_string()).collect();
    let mut groups: BTreeMap<String, Vec<(DateTime<Utc>, String)>> = BTreeMap::new();
    for (k, a) in &u.agreements {
        if live(k) {
            groups
                .entry(a["slug"].as_str().unwrap().to_string())
                .or_default()
                .push((at(a["created"].as_str().unwrap()), k.clone()));
        }
    }
    for (slug, mut members) in groups {
        members.sort();
        let numbered = |n: usize| {
            let suffix = format!("-{n}");
            let base: String = slug.chars().take(40 - suffix.len()).collect();
            format!("{}{suffix}", base.trim_end_matches('-'))
        };
        let mut n = 2;
        for (_, k) in members.iter().skip(1) {
            while taken.contains(&numbered(n)) {
                n += 1;
            }
            taken.insert(numbered(n));
            shown.insert(k.clone(), numbered(n));
        }
    }
    shown
}

fn one_case(seed: u64) {
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let start = at("2026-10-01T07:00:00+00:00") + Duration::hours(rng.random_range(0..240));
    // One ledger to begin with, shared by every device.
    let mut first = Device::new(start, "Alex", "Sam");
    let mut counts = vec![(0usize, 0usize)];
    session(&mut rng, &mut first, 3, &mut counts[0], &[]);
    let base = first.export();
    let n = rng.random_range(2..=3);
    let mut devices = vec![first];
    for _ in 1..n {
        let d = Device::new(devices[0].now + Duration::minutes(rng.random_range(0..180)), "Sam", "Alex");
        d.import(&base, "base.json");
        counts.push((base["agreements"].as_array().unwrap().len(), base["entries"].as_array().unwrap().len()));
        devices.push(d);
    }
    // Offline, each on its own clock, now and then passing a file over.
    for _round in 0..2 {
        for (i, count) in counts.iter_mut().enumerate() {
            let mut d = devices.remove(i);
            let others: Vec<&Device> = devices.iter().collect();
            let ops = rng.random_range(6..12);
            session(&mut rng, &mut d, ops, count, &others);
            devices.insert(i, d);
        }
    }
    let docs: Vec<Value> = devices.iter().map(Device::export).collect();
    let now = devices.iter().map(|d| d.now).max().unwrap() + Duration::hours(rng.random_range(1..72));
    // Two or three fresh ledgers get every document, in random pieces and orders.
    let mut results = Vec::new();
    for l in 0..rng.random_range(2..=3) {
        let fresh = Device::new(now, "Alex", "Sam");
        let mut pieces: Vec<Value> = Vec::new();
        for d in &docs {
            let n = rng.random_range(1..=3);
            pieces.extend(split(&mut rng, d, n));
        }
        for i in (1..pieces.len()).rev() {
            pieces.swap(i, rng.random_range(0..=i));
        }
        for (k, p) in pieces.iter().enumerate() {
            fresh.import(p, &format!("piece-{l}-{k}.json"));
        }
        results.push((screens(&fresh.env), fresh));
    }
    let (reference, ledger) = &results[0];
    for (k, (other, _)) in results.iter().enumerate().skip(1) {
        for (screen, v) in reference {
            assert_eq!(
                Some(v),
                other.get(screen),
                "seed {seed}: ledger {k} differs from ledger 0 in `{screen}` (same facts, other arrival order)"
            );
        }
    }
    // Against the model: every fact arrived, and each entry counts or not as §9 says.
    let mut union = Union::default();
    docs.iter().for_each(|d| union.add(d));
    let log = &reference["log --all"];
    let shown: BTreeMap<String, &Value> =
        log.as_array().unwrap().iter().map(|e| (e["uuid"].as_str().unwrap().to_string(), e)).collect();
    let model = model_entries(&union, now);
    assert_eq!(shown.keys().collect::<Vec<_>>(), model.keys().collect::<Vec<_>>(), "seed {seed}: entries");
    for (uuid, (counts, why, reason)) in &model {
        let e = shown[uuid];
        assert_eq!(e["counts"], json!(counts), "seed {seed}: counts of {e}");
        assert_eq!(e["why"], json!(why), "seed {seed}: why of {e}");
        assert_eq!(e["void"], json!(*why == Some("void")), "seed {seed}: void of {e}");
        if *why == Some("void") {
            assert_eq!(e["reason"], json!(reason), "seed {seed}: the earlier void's reason, {e}");
        }
    }
    let list = &reference["list --all"];
    let slugs = model_slugs(&union, now);
    assert_eq!(list.as_array().unwrap().len(), union.agreements.len(), "seed {seed}: agreements");
    for a in list.as_array().unwrap() {
        let uuid = a["uuid"].as_str().unwrap();
        assert_eq!(a["slug"], json!(slugs[uuid]), "seed {seed}: slug of {a}");
        if a["void"] == false {
            assert_eq!(a["status"], json!(union.status(uuid, now).1), "seed {seed}: status of {a}");
        }
        // A lookup by the shown slug finds the live promise that shows it.
        if a["void"] == false && a["status"] != "retired" {
            let found = ledger.env.json(&["show", a["slug"].as_str().unwrap()]);
            assert_eq!(found["uuid"], a["uuid"], "seed {seed}: lookup by {}", a["slug"]);
        }
    }
}

#[test]
fn the_same_facts_in_any_order_give_the_same_screens() {
    if let Ok(seed) = std::env::var("TROTH_CONVERGE_SEED") {
        return one_case(seed.parse().expect("TROTH_CONVERGE_SEED is a number"));
    }
    let cases: u64 = std::env::var("TROTH_CONVERGE_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(16);
    for seed in 0..cases {
        // Named on failure: TROTH_CONVERGE_SEED=<seed> runs it alone.
        eprintln!("converge case, seed {seed}");
        one_case(seed);
    }
}

// ---------- hand-built cases, one per rule of §9 ----------

/// Two devices that start from one ledger: `a` (Alex's) and `b` (Sam's).
fn pair() -> (TestEnv, TestEnv) {
    let a = TestEnv::berlin();
    a.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let b = TestEnv::berlin();
    b.ok(&["init", "--me", "Sam", "--partner", "Alex"]);
    (a, b)
}

/// What `from` has, passed to `to` as an export file (import is the door).
fn send(from: &TestEnv, to: &TestEnv) {
    let file = from.path(&format!("to-{}.json", to.db.display().to_string().len()));
    from.ok(&["export", "-o", file.to_str().unwrap()]);
    to.ok(&["import", file.to_str().unwrap()]);
}

/// Both ways, with both clocks at `now`.
fn exchange(a: &mut TestEnv, b: &mut TestEnv, now: &str) {
    a.set_now(now);
    b.set_now(now);
    send(a, b);
    send(b, a);
}

fn same(a: &TestEnv, b: &TestEnv, args: &[&str]) -> Value {
    let x = without_ids(&a.json(args));
    assert_eq!(x, without_ids(&b.json(args)), "`troth {args:?}` differs between the two devices");
    x
}

#[test]
fn two_amends_made_offline_the_later_one_wins_on_both_devices() {
    let (mut a, mut b) = pair();
    a.ok(&["promise", "Weekends", "--terms", "4/month", "--slug", "weekends", "--starts", "2026-09-01"]);
    send(&a, &b);
    // Alex renegotiates to weekly (from Monday 7 December); an hour later,
    // offline, Sam to twice a month (from 1 December).
    a.set_now("2026-11-24T09:00:00+01:00");
    a.ok(&["amend", "weekends", "--terms", "1/week", "--anyway"]);
    b.set_now("2026-11-24T10:00:00+01:00");
    b.ok(&["amend", "weekends", "--terms", "2/month", "--anyway"]);
    exchange(&mut a, &mut b, "2026-11-25T09:00:00+01:00");
    let shown = same(&a, &b, &["show", "weekends"]);
    assert_eq!(shown["terms"], "4/month");
    assert_eq!(shown["pending"]["terms"], "2/month", "the amend made later wins: {shown}");
    assert_eq!(shown["pending"]["from"], "2026-12-01T00:00:00+01:00");
    a.set_now("2026-12-10T09:00:00+01:00");
    b.set_now("2026-12-10T09:00:00+01:00");
    assert_eq!(same(&a, &b, &["show", "weekends"])["terms"], "2/month");
    same(&a, &b, &["due"]);
}

#[test]
fn status_changes_apply_in_time_order_and_a_repeat_does_nothing() {
    let (mut a, mut b) = pair();
    a.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-09-01"]);
    a.ok(&["promise", "Dishes", "--terms", "3/week", "--slug", "dishes", "--starts", "2026-11-02"]);
    send(&a, &b);
    // Both pause the weekends; Alex pauses the dishes and Sam, later, retires them.
    a.set_now("2026-11-24T09:00:00+01:00");
    a.ok(&["pause", "weekends"]);
    a.ok(&["pause", "dishes"]);
    b.set_now("2026-11-24T10:00:00+01:00");
    b.ok(&["pause", "weekends"]);
    b.ok(&["retire", "dishes"]);
    exchange(&mut a, &mut b, "2026-11-25T09:00:00+01:00");
    let weekends = same(&a, &b, &["show", "weekends"]);
    assert_eq!(weekends["pending"]["status"], "paused", "{weekends}");
    a.set_now("2026-12-10T09:00:00+01:00");
    b.set_now("2026-12-10T09:00:00+01:00");
    let list = same(&a, &b, &["list", "--all"]);
    let status = |slug: &str| list.as_array().unwrap().iter().find(|x| x["slug"] == slug).unwrap()["status"].clone();
    assert_eq!(status("weekends"), "paused");
    assert_eq!(status("dishes"), "retired", "a pause, then a retirement at the same boundary: retired");
    // The second pause changed nothing: one resume makes it active again.
    a.ok(&["resume", "weekends"]);
    a.set_now("2027-01-02T09:00:00+01:00");
    assert_eq!(a.json(&["show", "weekends"])["status"], "active");
}

#[test]
fn entries_at_the_same_instant_go_in_logged_order_on_every_device() {
    let (mut a, mut b) = pair();
    a.ok(&["promise", "Call if I'm running late", "--slug", "call", "--starts", "2026-11-01"]);
    send(&a, &b);
    // Both log the same call at the same instant; Sam wrote it down first.
    b.set_now("2026-11-24T12:10:00+01:00");
    let first = b.json(&["kept", "call", "--at", "2026-11-24 12:00"]);
    a.set_now("2026-11-24T12:30:00+01:00");
    let second = a.json(&["kept", "call", "--at", "2026-11-24 12:00"]);
    exchange(&mut a, &mut b, "2026-11-25T09:00:00+01:00");
    // A standing rule scores one kept a day: the one logged first.
    let shown = same(&a, &b, &["show", "call"]);
    let kept: Vec<&Value> = shown["events"].as_array().unwrap().iter().filter(|e| e["event"] == "kept").collect();
    assert_eq!(kept.len(), 1, "{shown}");
    assert_eq!(kept[0]["entry_uuid"], first["uuid"]);
    let log = same(&a, &b, &["log"]);
    let order: Vec<&Value> = log.as_array().unwrap().iter().map(|e| &e["uuid"]).collect();
    assert_eq!(order, [&first["uuid"], &second["uuid"]]);
    assert_ne!(first["device"], second["device"], "each entry names the device it was logged on");
    assert_eq!(first["device"].as_str().unwrap().len(), 36);
}

#[test]
fn a_slug_made_on_both_devices_stays_with_the_first_and_the_other_shows_2() {
    let (mut a, mut b) = pair();
    a.set_now("2026-11-24T09:00:00+01:00");
    let alex = a.json(&["promise", "Date night every Friday", "--terms", "every fri 19:00"]);
    b.set_now("2026-11-24T10:00:00+01:00");
    let sam = b.json(&["promise", "Date night", "--terms", "every sat 19:00", "--by", "Sam"]);
    assert_eq!((alex["slug"].as_str(), sam["slug"].as_str()), (Some("date-night"), Some("date-night")));
    exchange(&mut a, &mut b, "2026-11-25T09:00:00+01:00");
    let list = same(&a, &b, &["list"]);
    let slug = |uuid: &Value| list.as_array().unwrap().iter().find(|x| x["uuid"] == *uuid).unwrap()["slug"].clone();
    assert_eq!(slug(&alex["uuid"]), "date-night", "made first, keeps it");
    assert_eq!(slug(&sam["uuid"]), "date-night-2");
    // The shown slug is the handle, on both devices.
    for d in [&a, &b] {
        assert_eq!(d.json(&["show", "date-night-2"])["uuid"], sam["uuid"]);
        let e = d.json(&["kept", "date-night-2", "--at", "2026-11-24 19:30"]);
        assert_eq!((&e["agreement"], &e["agreement_uuid"]), (&json!("date-night-2"), &sam["uuid"]));
        d.fails(2, &["promise", "Another", "--slug", "date-night-2"]);
    }
}

#[test]
fn an_entry_after_the_other_device_retired_the_promise_counts_for_nothing_and_says_why() {
    let (mut a, mut b) = pair();
    a.set_now("2026-11-02T09:00:00+01:00");
    a.ok(&["promise", "Tidy the flat", "--terms", "1/week", "--slug", "tidy", "--starts", "2026-11-02"]);
    a.ok(&["promise", "Oops", "--terms", "1/week", "--slug", "oops", "--starts", "2026-11-02"]);
    b.set_now("2026-11-02T09:00:00+01:00");
    send(&a, &b);
    // Alex retires the tidying (from Monday 30 November) and voids a promise
    // made by mistake; Sam, not knowing, logs both in December.
    a.set_now("2026-11-24T09:00:00+01:00");
    a.ok(&["retire", "tidy"]);
    a.ok(&["void", "--agreement", "oops"]);
    a.set_now("2026-12-02T09:00:00+01:00");
    let before = a.json(&["show", "tidy"]);
    b.set_now("2026-12-01T12:00:00+01:00");
    let late = b.json(&["kept", "tidy", "--at", "2026-12-01 10:00"]);
    let void_promise = b.json(&["kept", "oops", "--at", "2026-12-01 10:00"]);
    exchange(&mut a, &mut b, "2026-12-02T09:00:00+01:00");
    let log = same(&a, &b, &["log", "--all"]);
    let entry = |uuid: &Value| log.as_array().unwrap().iter().find(|e| e["uuid"] == *uuid).unwrap().clone();
    assert_eq!(entry(&late["uuid"])["counts"], false);
    assert_eq!(entry(&late["uuid"])["why"], "after retirement");
    assert_eq!(entry(&void_promise["uuid"])["counts"], false);
    assert_eq!(entry(&void_promise["uuid"])["why"], "promise void");
    let after = same(&a, &b, &["show", "tidy"]);
    assert_eq!((&after["trust"], &after["rate"]), (&before["trust"], &before["rate"]), "it changed no number");
    for d in [&a, &b] {
        let text = d.ok(&["show", "tidy"]);
        assert!(text.contains("counts for nothing: logged after the promise was retired"), "{text}");
        let text = d.ok(&["log", "tidy"]);
        assert!(text.contains("after the promise was retired"), "{text}");
    }
}

#[test]
fn an_entry_voided_on_both_devices_keeps_both_voids_and_is_void_from_the_earlier() {
    let (mut a, mut b) = pair();
    a.ok(&["promise", "Weekends", "--terms", "2/month", "--slug", "weekends", "--starts", "2026-09-01"]);
    let e = a.json(&["kept", "weekends", "--at", "2026-11-21 12:00"]);
    send(&a, &b);
    let id_on_b = b.json(&["log"])[0]["id"].to_string();
    a.set_now("2026-11-24T09:00:00+01:00");
    a.ok(&["void", &e["id"].to_string(), "--reason", "wrong day"]);
    b.set_now("2026-11-24T08:00:00+01:00");
    b.ok(&["void", &id_on_b, "--reason", "we logged it twice"]);
    exchange(&mut a, &mut b, "2026-11-25T09:00:00+01:00");
    let log = same(&a, &b, &["log", "--all"]);
    let v = &log[0];
    assert_eq!(
        (&v["uuid"], &v["void"], &v["counts"], &v["why"]),
        (&e["uuid"], &json!(true), &json!(false), &json!("void"))
    );
    assert_eq!(v["reason"], "we logged it twice", "void from the earlier one");
    assert_eq!(v["voided_at"], "2026-11-24T08:00:00+01:00");
    for d in [&a, &b] {
        let doc = d.json(&["export"]);
        assert_eq!(
            doc["entries"][0]["void"].as_array().map(Vec::len),
            Some(2),
            "both voids kept: {}",
            doc["entries"][0]
        );
    }
    same(&a, &b, &["list", "--all"]);
}

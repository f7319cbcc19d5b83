//! The shape checks of the JSON contract: field names, JSON types, enum
//! values, 4-decimal fractions in [0, 1] and RFC 3339 times at a zone's
//! offset, and running troth with `--json` so that stdout must be JSON alone.

use crate::support::{Run, TestEnv};
use chrono::{DateTime, FixedOffset, Offset, TimeZone};
use serde_json::Value;

pub const UUID: &str = "uuid";

/// What a field must hold.
#[derive(Clone, Copy)]
pub enum T {
    Int,
    Count,
    Str,
    StrN,
    Uuid,
    UuidN,
    Time,
    TimeN,
    /// A trust value or rate: a number in [0, 1] with at most 4 decimals.
    Frac,
    FracN,
    /// A trust change: a number in [-1, 1] with at most 4 decimals.
    Change,
    Bool,
    Arr,
    ObjN,
    OneOf(&'static [&'static str]),
    OneOfN(&'static [&'static str]),
}

pub fn four_places(x: f64) -> bool {
    ((x * 10_000.0).round() / 10_000.0 - x).abs() < 1e-12
}

/// An RFC 3339 time as troth writes it: seconds, no fraction, a numeric
/// offset (UTC as `+00:00`).
pub fn time_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 25
        && (b[19] == b'+' || b[19] == b'-')
        && b[10] == b'T'
        && !s.contains('Z')
        && DateTime::parse_from_rfc3339(s).is_ok()
}

pub fn type_ok(v: &Value, t: T) -> bool {
    match t {
        T::Int => v.is_i64(),
        T::Count => v.is_u64(),
        T::Str => v.as_str().is_some_and(|s| !s.is_empty()),
        T::StrN => v.is_null() || v.is_string(),
        T::Uuid => v.as_str().is_some_and(|s| s.len() == 36 && s.matches('-').count() == 4),
        T::UuidN => v.is_null() || type_ok(v, T::Uuid),
        T::Time => v.as_str().is_some_and(time_ok),
        T::TimeN => v.is_null() || type_ok(v, T::Time),
        T::Frac => v.as_f64().is_some_and(|x| (0.0..=1.0).contains(&x) && four_places(x)),
        T::FracN => v.is_null() || type_ok(v, T::Frac),
        T::Change => v.as_f64().is_some_and(|x| (-1.0..=1.0).contains(&x) && four_places(x)),
        T::Bool => v.is_boolean(),
        T::Arr => v.is_array(),
        T::ObjN => v.is_null() || v.is_object(),
        T::OneOf(vals) => v.as_str().is_some_and(|s| vals.contains(&s)),
        T::OneOfN(vals) => v.is_null() || type_ok(v, T::OneOf(vals)),
    }
}

/// Every field of `spec` is present in `v` (an object) with its type.
pub fn has(v: &Value, what: &str, spec: &[(&str, T)]) {
    let obj = v.as_object().unwrap_or_else(|| panic!("{what}: not an object: {v}"));
    for (name, t) in spec {
        let field = obj.get(*name).unwrap_or_else(|| panic!("{what}: no field `{name}` in {v}"));
        let want = match t {
            T::OneOf(vals) | T::OneOfN(vals) => format!("one of {vals:?}"),
            T::Frac | T::FracN => "a number in [0, 1] with 4 decimals at most".into(),
            _ => String::new(),
        };
        assert!(type_ok(field, *t), "{what}: `{name}` has the wrong type {want}: {field}\nin {v}");
    }
}

/// `s` (an RFC 3339 time) carries the offset `zone` has at that instant.
pub fn in_zone(s: &Value, zone: &str) {
    let s = s.as_str().unwrap_or_else(|| panic!("not a time: {s}"));
    let t = DateTime::parse_from_rfc3339(s).unwrap();
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let want: FixedOffset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    assert_eq!(*t.offset(), want, "{s} is not at {zone}'s offset");
}

pub const KINDS: &[&str] = &["quota", "schedule", "deadline", "standing"];
pub const STATUSES: &[&str] = &["active", "paused", "retired"];
pub const OUTCOMES: &[&str] = &["kept", "broken", "excused"];
pub const VERDICTS: &[&str] = &["confirmed", "disputed"];

pub fn promise_spec() -> Vec<(&'static str, T)> {
    vec![
        ("id", T::Int),
        (UUID, T::Uuid),
        ("slug", T::Str),
        ("text", T::Str),
        ("by", T::Str),
        ("to", T::Str),
        ("kind", T::OneOf(KINDS)),
        ("terms", T::Str),
        ("unit", T::StrN),
        ("zone", T::Str),
        ("starts", T::Time),
        ("ends", T::TimeN),
        ("status", T::OneOf(STATUSES)),
        ("remind", T::StrN),
        ("trust", T::Frac),
        ("rate", T::FracN),
        ("pending", T::ObjN),
        ("done", T::Bool),
    ]
}

pub fn promise(v: &Value, what: &str) {
    has(v, what, &promise_spec());
    let zone = v["zone"].as_str().unwrap();
    in_zone(&v["starts"], zone);
    if !v["pending"].is_null() {
        has(&v["pending"], what, &[("terms", T::StrN), ("status", T::OneOfN(STATUSES)), ("from", T::Time)]);
        in_zone(&v["pending"]["from"], zone);
    }
}

pub fn entry(v: &Value, what: &str) {
    has(
        v,
        what,
        &[
            ("id", T::Int),
            (UUID, T::Uuid),
            ("agreement", T::Str),
            ("outcome", T::OneOf(OUTCOMES)),
            ("at", T::Time),
            ("note", T::StrN),
            ("by", T::Str),
            ("void", T::Bool),
            ("device", T::Uuid),
            ("verdict", T::ObjN),
            ("counts", T::Bool),
            ("why", T::StrN),
        ],
    );
    if !v["verdict"].is_null() {
        has(
            &v["verdict"],
            what,
            &[("verdict", T::OneOf(VERDICTS)), ("by", T::Str), ("note", T::StrN), ("at", T::Time)],
        );
    }
    // `why` says why it does not count, and only then.
    assert_eq!(v["counts"].as_bool().unwrap(), v["why"].is_null(), "{what}: counts and why disagree: {v}");
}

pub fn repair(v: &Value, what: &str) {
    has(
        v,
        what,
        &[
            ("id", T::Int),
            (UUID, T::Uuid),
            ("agreement", T::Str),
            ("entry", T::UuidN),
            ("slot", T::TimeN),
            ("by", T::Str),
            ("understood", T::Str),
            ("feeling", T::StrN),
            ("apology", T::Str),
            ("plan", T::StrN),
            ("at", T::Time),
            ("accepted", T::ObjN),
        ],
    );
    assert!(v["entry"].is_null() != v["slot"].is_null(), "{what}: a repair is of an entry or of a slot: {v}");
    if !v["accepted"].is_null() {
        has(&v["accepted"], what, &[("by", T::Str), ("note", T::StrN), ("at", T::Time)]);
    }
}

pub fn due_item(v: &Value, what: &str) {
    has(v, what, &[("slug", T::Str), ("due", T::Time), ("remaining", T::Count), ("kind", T::OneOf(KINDS))]);
}

pub fn over(v: &Value, what: &str) {
    has(v, what, &[("agreements", T::Arr), ("people", T::Arr)]);
    for a in arr(&v["agreements"]) {
        has(
            a,
            what,
            &[
                ("slug", T::Str),
                ("by", T::Str),
                ("terms", T::Str),
                ("slots", T::Count),
                ("promised", T::Count),
                ("delivered", T::Count),
                ("rate", T::Frac),
                ("overpromised", T::Bool),
                ("suggested_terms", T::StrN),
            ],
        );
        assert!(a["slots"].as_u64().unwrap() >= 3, "{what}: fewer than 3 closed slots: {a}");
        if a["overpromised"] == false {
            assert!(a["suggested_terms"].is_null(), "{what}: a suggestion for one not over-promised: {a}");
        }
    }
    for p in arr(&v["people"]) {
        has(
            p,
            what,
            &[
                ("name", T::Str),
                ("promised", T::Count),
                ("delivered", T::Count),
                ("rate", T::Frac),
                ("overpromised", T::Bool),
            ],
        );
    }
}

pub fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

/// Run with `--json` appended: exit 0, stdout one JSON document and
/// nothing else.
pub fn j(env: &TestEnv, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let r: Run = env.run(&a);
    assert_eq!(r.code, 0, "troth {a:?}: exit {}\nstdout: {}\nstderr: {}", r.code, r.stdout, r.stderr);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("troth {a:?}: stdout is not one JSON document ({e}):\n{}", r.stdout))
}
/// The checks above can fail: what they refuse.
#[test]
fn the_shape_checks_refuse_what_the_contract_forbids() {
    assert!(time_ok("2026-11-23T18:00:00+00:00") && time_ok("2026-11-20T21:00:00-05:00"));
    for bad in ["2026-11-23T18:00:00Z", "2026-11-23T18:00:00.5+00:00", "2026-11-23 18:00:00+00:00", "2026-11-23"] {
        assert!(!time_ok(bad), "{bad}");
    }
    assert!(type_ok(&0.4512.into(), T::Frac) && type_ok(&1.into(), T::Frac));
    for bad in [0.45125, 1.5, -0.1] {
        assert!(!type_ok(&bad.into(), T::Frac), "{bad}");
    }
    assert!(!type_ok(&"0.5".into(), T::Frac) && !type_ok(&Value::Null, T::Frac));
    assert!(!type_ok(&"Kept".into(), T::OneOf(OUTCOMES)) && !type_ok(&1.5.into(), T::Int));
    assert!(!type_ok(&Value::Null, T::Str) && type_ok(&Value::Null, T::StrN));
}

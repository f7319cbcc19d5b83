//! `troth config`: read and set the settings, each validated by the domain.

use super::Ctx;
use crate::cli::ConfigArgs;
use crate::domain::settings::KEYS;
use crate::error::Result;
use crate::ledger::{Ledger, new_uuid};
use crate::render::json::write_json;
use serde_json::{Value, json};
use std::io::Write;

pub(super) fn settings_json(s: &crate::domain::Settings) -> Value {
    let mut m = serde_json::Map::new();
    for key in KEYS {
        let v = s.get(key).unwrap_or_default();
        let value = match *key {
            "me" | "partner" if v.is_empty() => Value::Null,
            "trust.start" | "trust.gain" | "trust.loss" | "overpromise.threshold" => {
                json!(v.parse::<f64>().unwrap_or(0.0))
            }
            "remind.private" => json!(v == "true"),
            _ => json!(v),
        };
        m.insert(key.to_string(), value);
    }
    Value::Object(m)
}

/// `me` and `partner` are two people: a name for both is refused (exit 2),
/// also one that differs only in case — `--by sam` next to `Sam` is refused
/// as a near name (docs/design.md §1), so "Sam & sam" could not be told apart.
/// The names are the ones in effect: one not set yet is its role word, so
/// `init --me partner` alone names nobody twice either.
pub(super) fn two_people(s: &crate::domain::Settings) -> Result<()> {
    let (me, partner) = (s.default_by(), s.default_to());
    let (m, p) = (me.as_str(), partner.as_str());
    if m.to_lowercase() == p.to_lowercase() {
        use crate::domain::time::printable;
        let what = if m == p {
            format!("{} cannot be both me and partner: a promise is between two people", printable(m))
        } else {
            format!("\"{}\" and \"{}\" differ only in case: me and partner are two people", printable(m), printable(p))
        };
        return Err(crate::error::Error::usage(what).hint("give the other person's name with --partner (or --me)"));
    }
    Ok(())
}

pub fn config(ctx: &Ctx, ledger: &mut Ledger, a: ConfigArgs, out: &mut dyn Write) -> Result<()> {
    match (a.key, a.value) {
        (None, _) => {
            let s = ledger.settings()?;
            if ctx.env.json {
                return write_json(out, &settings_json(&s));
            }
            for key in KEYS {
                writeln!(out, "{key} = {}", s.get(key)?)?;
            }
        }
        (Some(key), None) => {
            let s = ledger.settings()?;
            let v = s.get(&key)?;
            if ctx.env.json {
                return write_json(out, &json!({ "key": key, "value": settings_json(&s)[key.as_str()] }));
            }
            writeln!(out, "{v}")?;
        }
        (Some(key), Some(value)) => {
            let mut s = ledger.settings()?;
            let value = value.trim().to_string();
            s.apply(&key, &value)?;
            two_people(&s)?;
            let stored = s.get(&key)?;
            let tx = ledger.write()?;
            tx.set_setting(&new_uuid(), &key, &stored, ctx.now)?;
            tx.commit()?;
            if ctx.env.json {
                return write_json(out, &settings_json(&s));
            }
            writeln!(out, "{key} = {stored}")?;
        }
    }
    Ok(())
}

//! Settings: the `troth config` keys, validated, with their defaults, and
//! the rule for a person's name. The ledger stores them append-only (the
//! latest value of a key wins) and replays them through `Settings::apply`.

use crate::domain::time::parse_zone;
use crate::error::{Error, Result};
use chrono::NaiveTime;
use chrono_tz::Tz;

pub const KEYS: &[&str] = &[
    "me",
    "partner",
    "zone",
    "trust.start",
    "trust.gain",
    "trust.loss",
    "overpromise.threshold",
    "remind.quiet",
    "remind.private",
];

/// Settings both partners share (synced; latest set wins, by set time then
/// uuid). The others (`me`, `partner`, `zone`, `remind.*`) stay on a device.
pub const SHARED_KEYS: &[&str] = &["trust.start", "trust.gain", "trust.loss", "overpromise.threshold"];

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrustParams {
    pub start: f64,
    pub gain: f64,
    pub loss: f64,
}

impl Default for TrustParams {
    fn default() -> Self {
        TrustParams { start: 0.5, gain: 0.05, loss: 0.20 }
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub me: Option<String>,
    pub partner: Option<String>,
    pub zone: Tz,
    pub trust: TrustParams,
    pub threshold: f64,
    /// Quiet hours, local: from, until (may wrap midnight). None when off.
    pub quiet: Option<(NaiveTime, NaiveTime)>,
    pub private: bool,
}

impl Settings {
    /// docs/design.md's defaults, before any setting is made.
    pub fn load_defaults() -> Settings {
        Settings {
            me: None,
            partner: None,
            zone: chrono_tz::UTC,
            trust: TrustParams::default(),
            threshold: 0.8,
            quiet: Some(default_quiet()),
            private: false,
        }
    }

    /// Apply one validated key/value.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<()> {
        match key {
            "me" => self.me = Some(validate_name(value)?),
            "partner" => self.partner = Some(validate_name(value)?),
            "zone" => self.zone = parse_zone(value).map_err(Error::from)?,
            "trust.start" => self.trust.start = fraction(key, value, true)?,
            "trust.gain" => self.trust.gain = fraction(key, value, false)?,
            "trust.loss" => self.trust.loss = fraction(key, value, false)?,
            "overpromise.threshold" => self.threshold = fraction(key, value, true)?,
            "remind.quiet" => self.quiet = parse_quiet(value)?,
            "remind.private" => {
                self.private = match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(Error::usage(format!("remind.private is true or false, not \"{value}\"")));
                    }
                }
            }
            _ => return Err(unknown_key(key)),
        }
        Ok(())
    }

    /// The value of a key as `troth config KEY` prints it.
    pub fn get(&self, key: &str) -> Result<String> {
        Ok(match key {
            "me" => self.me.clone().unwrap_or_default(),
            "partner" => self.partner.clone().unwrap_or_default(),
            "zone" => self.zone.name().to_string(),
            "trust.start" => self.trust.start.to_string(),
            "trust.gain" => self.trust.gain.to_string(),
            "trust.loss" => self.trust.loss.to_string(),
            "overpromise.threshold" => self.threshold.to_string(),
            "remind.quiet" => match self.quiet {
                Some((a, b)) => format!("{}-{}", a.format("%H:%M"), b.format("%H:%M")),
                None => "off".into(),
            },
            "remind.private" => self.private.to_string(),
            _ => return Err(unknown_key(key)),
        })
    }

    /// Who a promise is by, when not said: `me`, else "me".
    pub fn default_by(&self) -> String {
        self.me.clone().unwrap_or_else(|| "me".into())
    }

    pub fn default_to(&self) -> String {
        self.partner.clone().unwrap_or_else(|| "partner".into())
    }
}

pub fn default_quiet() -> (NaiveTime, NaiveTime) {
    (NaiveTime::from_hms_opt(22, 0, 0).expect("time"), NaiveTime::from_hms_opt(8, 0, 0).expect("time"))
}

fn unknown_key(key: &str) -> Error {
    Error::usage(format!("unknown setting \"{}\"", crate::domain::time::printable(key)))
        .hint(format!("the settings are: {}", KEYS.join(", ")))
}

pub fn validate_name(value: &str) -> Result<String> {
    let n = value.trim();
    let count = n.chars().count();
    // A name stands in every table: no control character, and none of the
    // invisible ones that would turn the rest of a line around.
    if count == 0 || count > 60 || n.chars().any(|c| c.is_control() || crate::domain::time::unsafe_char(c)) {
        return Err(Error::usage(format!("\"{}\" is not a name troth can use", crate::domain::time::printable(value)))
            .hint("a name is 1–60 characters, without control characters"));
    }
    Ok(n.to_string())
}

fn fraction(key: &str, value: &str, inclusive_zero: bool) -> Result<f64> {
    let v: f64 = value.trim().parse().map_err(|_| {
        Error::usage(format!(
            "{key} must be a number between 0 and 1, not \"{}\"",
            crate::domain::time::printable(value)
        ))
    })?;
    let ok = v.is_finite() && v <= 1.0 && if inclusive_zero { v >= 0.0 } else { v > 0.0 };
    // A value too small to mean anything would not fit the ledger either
    // (1e-300 is written out as 300 digits).
    if ok && v != 0.0 && v < 1e-6 {
        return Err(Error::usage(format!(
            "{key} \"{}\" is too small to mean anything",
            crate::domain::time::printable(value)
        ))
        .hint(if inclusive_zero {
            "use 0, or a number from 0.000001 to 1, e.g. 0.05"
        } else {
            "use a number from 0.000001 to 1, e.g. 0.05"
        }));
    }
    if !ok {
        // Say the range as it is: a gain or loss of 0 would never move trust.
        let range = if inclusive_zero { "from 0 to 1" } else { "above 0 and at most 1" };
        return Err(Error::usage(format!(
            "{key} must be a number {range}, not \"{}\"",
            crate::domain::time::printable(value)
        )));
    }
    Ok(v)
}

/// `22:00-08:00`, or `off`.
pub fn parse_quiet(value: &str) -> Result<Option<(NaiveTime, NaiveTime)>> {
    let v = value.trim();
    if v == "off" || v == "none" {
        return Ok(None);
    }
    let bad = || {
        Error::usage(format!("could not read quiet hours \"{}\"", crate::domain::time::printable(value)))
            .hint("use HH:MM-HH:MM, e.g. 22:00-08:00, or off")
    };
    let (a, b) = v.split_once('-').ok_or_else(bad)?;
    let a = NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| bad())?;
    let b = NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| bad())?;
    Ok(Some((a, b)))
}

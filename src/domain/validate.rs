//! The limits on what people type (docs/cli.md): a promise's words, a note.
//! Names are `settings::validate_name`; slugs are here too.

use crate::domain::time;
use crate::error::{Error, Result};

/// Text of a promise: 1–500 characters, no control characters.
pub fn validate_text(text: &str) -> Result<String> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(Error::usage("a promise needs its words")
            .hint("for example: troth promise \"date night every Friday\" --terms \"every fri 19:00\""));
    }
    if n > 500 {
        return Err(Error::usage(format!("the promise is {n} characters long; at most 500 fit"))
            .hint("say it shorter; details can go in a note"));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(Error::usage("the promise contains control characters").hint("write it on one line, as plain text"));
    }
    Ok(t.to_string())
}

pub fn validate_note(note: Option<&str>) -> Result<Option<String>> {
    let Some(n) = note else { return Ok(None) };
    let count = n.chars().count();
    if count > 4000 {
        return Err(Error::usage(format!("the note is {count} characters long; at most 4,000 fit")));
    }
    if n.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::usage("the note contains control characters").hint("plain text, newlines and tabs are fine"));
    }
    Ok(if n.trim().is_empty() { None } else { Some(n.to_string()) })
}

/// How a promise argument reads: `Some` when it is an id — digits, or `#`
/// and digits as troth prints it (a slug is never all digits) — holding the
/// id, or None for digits too long to be one; None for a slug.
pub fn id_form(arg: &str) -> Option<Option<i64>> {
    let digits = arg.strip_prefix('#').unwrap_or(arg);
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| digits.parse().ok())
}

pub fn validate_slug(s: &str) -> Result<String> {
    let ok = !s.is_empty()
        && s.len() <= 40
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.chars().all(|c| c.is_ascii_digit());
    if !ok {
        return Err(Error::usage(format!("\"{}\" cannot be a slug", time::printable(s)))
            .hint("a slug is 1–40 lower-case letters, digits and -, not all digits (those are ids), e.g. date-night"));
    }
    Ok(s.to_string())
}

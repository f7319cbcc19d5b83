//! Names people type: slugs made from a promise's meaningful words, and
//! "did you mean …?" for a slug or a name that is one slip away from a real
//! one (docs/design.md §1).
//!
//! A slug is the first meaningful words of the text: "I will", pronouns,
//! "every", articles, fillers and the terms' own words (weekdays, periods,
//! numbers, times) dropped — "Date night every Friday" → `date-night`, "Call
//! if I'm running late" → `call-if-late`.

/// Words that never carry a promise's meaning.
const FILLER: &[&str] = &[
    "i", "im", "ill", "ive", "id", "me", "my", "mine", "myself", "you", "youre", "your", "yours", "we", "well", "our",
    "us", "will", "would", "shall", "promise", "promises", "am", "is", "are", "be", "to", "a", "an", "the", "just",
    "always", "really", "also", "please", "each", "every", "per", "at", "on", "by", "before", "until", "least",
];

/// The terms' own words: when, how often, how many.
const TERMS_WORDS: &[&str] = &[
    "mon",
    "monday",
    "mondays",
    "tue",
    "tues",
    "tuesday",
    "tuesdays",
    "wed",
    "wednesday",
    "wednesdays",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "thursdays",
    "fri",
    "friday",
    "fridays",
    "sat",
    "saturday",
    "saturdays",
    "sun",
    "sunday",
    "sundays",
    "day",
    "days",
    "daily",
    "week",
    "weeks",
    "weekly",
    "weekday",
    "weekdays",
    "month",
    "months",
    "monthly",
    "year",
    "years",
    "yearly",
    "annually",
    "fortnight",
    "fortnightly",
    "other",
    "once",
    "twice",
    "thrice",
    "times",
    "time",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "am",
    "pm",
    "noon",
    "morning",
    "evening",
    "tonight",
    "today",
    "tomorrow",
    "x",
];

/// Month names, dropped where they are part of a date ("by 1 Dec", "in
/// January") — and only there: April and June are also people.
const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// Words that do not end a slug ("spend weekends with" → "spend-weekends").
const CONNECTIVES: &[&str] = &["if", "and", "or", "with", "for", "of", "in", "from", "when", "so", "but", "as"];

/// A word's letters in ASCII, as a slug can hold them: "Écouter" → "Ecouter",
/// "Tschüß" → "Tschuss" (deunicode); other signs (an emoji) are left out.
fn ascii_letters(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            c if c.is_ascii() => c.to_string(),
            c if c.is_alphabetic() => deunicode::deunicode_char(c).unwrap_or("").trim().to_string(),
            _ => String::new(),
        })
        .collect()
}

/// The slug made from a promise's words (without the clash number).
pub fn slug_from(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == ',')
        .map(|w| ascii_letters(w).to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    let is_number = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit())
            || w.trim_end_matches(|c: char| c.is_ascii_alphabetic()).chars().all(|c| c.is_ascii_digit())
                && w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    // A date's words: "next"/"this" before a weekday or period ("by next
    // Friday"), a month beside a number or after "by"/"in"/… ("by 1 Dec").
    let in_date = |i: usize| {
        let w = words[i].as_str();
        let prev = i.checked_sub(1).map(|p| words[p].as_str()).unwrap_or("");
        let next = words.get(i + 1).map(String::as_str).unwrap_or("");
        (matches!(w, "next" | "this" | "coming") && TERMS_WORDS.contains(&next))
            || (MONTHS.contains(&w)
                && (is_number(prev)
                    || is_number(next)
                    || matches!(prev, "by" | "until" | "before" | "in" | "on" | "of" | "next" | "this" | "end")))
    };
    let mut kept: Vec<&str> = Vec::new();
    let mut after_pronoun = false;
    for (i, w) in words.iter().enumerate() {
        let w = w.as_str();
        // "I'm running late": the -ing verb after a pronoun is the grammar of
        // the sentence, not its meaning.
        if after_pronoun && w.len() > 4 && w.ends_with("ing") {
            after_pronoun = false;
            continue;
        }
        after_pronoun = matches!(w, "im" | "youre" | "were" | "am" | "is" | "are");
        if FILLER.contains(&w) || TERMS_WORDS.contains(&w) || is_number(w) || in_date(i) {
            continue;
        }
        kept.push(w);
        if kept.len() == 3 {
            break;
        }
    }
    while kept.len() > 1 && kept.last().is_some_and(|w| CONNECTIVES.contains(w)) {
        kept.pop();
    }
    let mut slug = kept.join("-");
    if slug.len() > 36 {
        slug.truncate(36);
        slug = slug.trim_end_matches('-').to_string();
    }
    if slug.is_empty() {
        // Nothing meaningful left ("I will, every day"): the first word will do.
        slug = words.first().cloned().unwrap_or_default();
        slug.truncate(36);
    }
    if slug.is_empty() {
        slug = "promise".into();
    }
    if slug.chars().all(|c| c.is_ascii_digit()) {
        slug = format!("p-{slug}");
    }
    slug
}

/// Is `typed` one slip from `real`: the same but for case, a plural `s`, or
/// one typo (a letter added, dropped, changed or two swapped)?
pub fn near(typed: &str, real: &str) -> bool {
    if typed == real {
        return false;
    }
    let (t, r) = (typed.to_lowercase(), real.to_lowercase());
    if t == r {
        return true;
    }
    let singular = |s: &str| s.strip_suffix('s').map(str::to_string).unwrap_or_else(|| s.to_string());
    if singular(&t) == singular(&r) {
        return true;
    }
    r.chars().count() >= 3 && strsim::damerau_levenshtein(&t, &r) <= 1
}

/// The candidates one slip from `typed`, best first (case-only differences,
/// then plurals, then typos), without repeats.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| near(typed, c))
        .map(|c| (strsim::damerau_levenshtein(&typed.to_lowercase(), &c.to_lowercase()), c))
        .collect();
    out.sort();
    out.dedup_by(|a, b| a.1 == b.1);
    out.into_iter().map(|(_, c)| c).collect()
}

/// The slugs a misspelt slug may have meant, best first: those one slip away
/// (as names), then the same letters with the dashes moved or dropped
/// ("datenight"), then a slug that begins with what was typed or has it as
/// one of its words ("date", "night"), then close spellings ("date-nite").
pub fn did_you_mean_slug<'a>(typed: &str, slugs: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let t = typed.trim().to_lowercase();
    let bare = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let mut out: Vec<(u8, u64, &str)> = Vec::new();
    for slug in slugs {
        let rank = if near(typed, slug) {
            0
        } else if !t.is_empty() && bare(&t) == bare(slug) {
            1
        } else if t.chars().count() >= 3
            && (slug.starts_with(&t)
                || slug.split('-').any(|w| w == t)
                || (slug.chars().count() >= 3 && t.split(['-', '_', ' ']).any(|w| w == slug)))
        {
            2
        } else if t.chars().count() >= 4 && strsim::jaro_winkler(&t, slug) >= 0.9 {
            3
        } else {
            continue;
        };
        let closeness = (1000.0 * (1.0 - strsim::jaro_winkler(&t, slug))) as u64;
        out.push((rank, closeness, slug));
    }
    out.sort();
    out.dedup_by(|a, b| a.2 == b.2);
    out.into_iter().map(|(_, _, s)| s).collect()
}

/// "did you mean weekends?" / "did you mean weekends or weekend-2?".
pub fn did_you_mean_phrase(options: &[&str]) -> Option<String> {
    match options {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        many => Some(format!("did you mean {}?", many.iter().take(3).copied().collect::<Vec<_>>().join(" or "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_slug_finds_the_one_meant() {
        let slugs = ["date-night", "weekends", "call-if-late", "fix-sink"];
        for (typed, meant) in [
            ("weekend", "weekends"),
            ("Weekends", "weekends"),
            ("datenight", "date-night"),
            ("date_night", "date-night"),
            ("date-nite", "date-night"),
            ("date", "date-night"),
            ("night", "date-night"),
            ("sink", "fix-sink"),
            ("call-if-lte", "call-if-late"),
            ("fix-the-sink", "fix-sink"),
        ] {
            assert_eq!(did_you_mean_slug(typed, slugs).first(), Some(&meant), "{typed}");
        }
        // The slug is one of the words typed: "fix-sink" for a promise slugged "sink".
        for (typed, meant) in [("fix-sink", "sink"), ("the-walk", "walk")] {
            assert_eq!(did_you_mean_slug(typed, ["sink", "walk", "date-night"]).first(), Some(&meant), "{typed}");
        }
        assert!(did_you_mean_slug("groceries", slugs).is_empty());
        assert!(did_you_mean_slug("a-b", ["b"]).is_empty(), "too short a word to guess from");
        assert!(did_you_mean_slug("x", slugs).is_empty());
    }

    #[test]
    fn slugs_come_from_the_meaningful_words() {
        for (text, slug) in [
            ("Date night every Friday", "date-night"),
            ("Call if I'm running late", "call-if-late"),
            ("I will spend 2 weekends each month just with you", "spend-weekends"),
            ("Fix the sink", "fix-sink"),
            ("I will cook dinner 3 times a week", "cook-dinner"),
            ("Walk the dog daily at 9am", "walk-dog"),
            ("Every other Saturday: a long walk", "long-walk"),
            ("I will", "i"),
            ("2026", "p-2026"),
            ("Fix the sink by next Friday", "fix-sink"),
            ("Book the trip by 1 Dec", "book-trip"),
            ("Book the trip by December", "book-trip"),
            ("Call April every week", "call-april"),
            ("Plan the next holiday", "plan-next-holiday"),
        ] {
            assert_eq!(slug_from(text), slug, "{text}");
        }
    }

    #[test]
    fn one_slip_is_near() {
        assert!(near("weekend", "weekends"));
        assert!(near("Weekends", "weekends"));
        assert!(near("wekends", "weekends"));
        assert!(near("sam", "Sam"));
        assert!(near("Sma", "Sam"));
        assert!(!near("cook", "weekends"));
        assert!(!near("weekends", "weekends"));
        assert_eq!(did_you_mean("weekend", ["cook", "weekends", "date-night"]), vec!["weekends"]);
    }
}

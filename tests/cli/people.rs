//! Me and partner as two people (docs/design.md §1): names compare as typed,
//! and one differing from the other only in case is a near name, refused.

use crate::support::TestEnv;

/// "Sam" and "sam" cannot be told apart (`--by sam` next to `Sam` is a near
/// name), so init and config refuse them as the two people — one `error:`
/// line, exit 2, the ledger as it was.
#[test]
fn me_and_a_partner_differing_only_in_case_are_refused() {
    let fresh = TestEnv::berlin();
    let err = fresh.fails(2, &["init", "--me", "Sam", "--partner", "sam"]);
    assert!(err.starts_with("error: \"Sam\" and \"sam\" differ only in case"), "{err}");
    assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
    assert!(!fresh.db.exists(), "a refused init creates no ledger");

    let env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    let before = env.dump();
    env.fails(2, &["config", "partner", "ALEX"]);
    env.fails(2, &["config", "me", "sam"]);
    env.fails(2, &["init", "--partner", "alex"]);
    assert_eq!(env.dump(), before, "refusals leave the ledger as it was");
    // Two people whose names merely look alike are still two people.
    env.ok(&["config", "partner", "Alexa"]);
    assert_eq!(env.json(&["config"])["partner"], "Alexa");
}

/// Until `init` names them the two are `me` and `partner` (docs/design.md
/// §1): naming only one of them after the other's role word would make them
/// one person ("partner & partner"), and is refused as well.
#[test]
fn naming_one_after_the_others_role_word_is_refused() {
    let env = TestEnv::berlin();
    let err = env.fails(2, &["init", "--me", "partner"]);
    assert!(err.starts_with("error: partner cannot be both me and partner"), "{err}");
    assert!(!env.db.exists(), "a refused init creates no ledger");
    env.fails(2, &["init", "--partner", "Me"]);
    assert!(!env.db.exists(), "a refused init creates no ledger");
    env.ok(&["init", "--me", "Alex"]);
    let before = env.dump();
    env.fails(2, &["config", "partner", "alex"]);
    assert_eq!(env.dump(), before, "the refusal leaves the ledger as it was");
    env.ok(&["config", "partner", "Sam"]);
    assert_eq!(env.json(&["config"])["partner"], "Sam");
}

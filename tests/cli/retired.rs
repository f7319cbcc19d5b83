//! A retired promise's record is final (docs/design.md §1): once retirement
//! has taken effect only `void --agreement` applies — no entry, no void of an
//! entry, and no verdict, repair or acceptance either.

use crate::support::TestEnv;
use serde_json::Value;

/// Date night from Alex to Sam, retired on Monday 23 November: it takes
/// effect with the next slot, Friday 27 November. Until then Sam can still
/// answer; from then on confirm, dispute, repair and accept are refused
/// (one `error:` line, exit 2, the ledger as it was), and `inbox` offers
/// none of them.
#[test]
fn a_retired_promise_takes_no_verdict_repair_or_acceptance() {
    let mut env = TestEnv::berlin();
    env.ok(&["init", "--me", "Alex", "--partner", "Sam"]);
    env.ok(&["promise", "Date night", "--terms", "every fri 19:00", "--starts", "2026-11-01", "--slug", "date-night"]);
    env.ok(&["broke", "date-night", "--at", "2026-11-06 21:00"]); // #1
    env.ok(&["broke", "date-night", "--at", "2026-11-13 21:00"]); // #2
    env.ok(&["kept", "date-night", "--at", "2026-11-20 21:00"]); // #3
    env.ok(&["kept", "date-night", "--at", "2026-11-20 22:00"]); // #4
    env.ok(&["repair", "2", "--understood", "I was on my phone", "--apology", "sorry"]); // repair #1
    env.ok(&["retire", "date-night"]);
    // Not yet in effect: Sam's word still counts.
    env.ok(&["confirm", "4", "--as", "Sam"]);
    let inbox: Value = env.json(&["inbox", "--as", "Sam"]);
    assert!(inbox.to_string().contains("date-night"), "{inbox}");

    env.set_now("2026-11-28T10:00:00+01:00");
    let before = env.dump();
    for args in [
        &["confirm", "3", "--as", "Sam"][..],
        &["dispute", "3", "--note", "we stayed in", "--as", "Sam"],
        &["accept", "1", "--as", "Sam"],
        &["repair", "1", "--understood", "I forgot", "--apology", "sorry"],
    ] {
        let err = env.fails(2, args);
        assert!(
            err.starts_with("error: date-night was retired from Fri 27 Nov; retirement is final"),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().filter(|l| l.starts_with("error:")).count(), 1, "{err}");
    }
    assert_eq!(env.dump(), before, "refusals leave the ledger as it was");
    let inbox: Value = env.json(&["inbox", "--as", "Sam"]);
    assert!(!inbox.to_string().contains("date-night"), "nothing to answer on a retired promise: {inbox}");
}

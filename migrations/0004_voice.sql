-- troth ledger, schema version 4: the partner's voice (DESIGN.md §10). Verdicts on entries,
-- repairs offered after a broken entry or a missed unit, and acceptances of
-- repairs. Append-only like every other fact; each names the device that
-- made it (§9).

CREATE TABLE verdicts (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    entry_id   INTEGER NOT NULL REFERENCES entries (id),
    verdict    TEXT NOT NULL CHECK (verdict IN ('confirmed', 'disputed')),
    by_name    TEXT NOT NULL CHECK (length(by_name) BETWEEN 1 AND 60),
    note       TEXT CHECK (note IS NULL OR length(note) <= 4000),
    at         INTEGER NOT NULL,
    device     TEXT NOT NULL CHECK (length(device) = 36 AND device <> '00000000-0000-0000-0000-000000000000'),
    CHECK (verdict = 'confirmed' OR note IS NOT NULL)
) STRICT;
CREATE INDEX verdicts_entry ON verdicts (entry_id);

-- A repair answers one broken entry, or one missed unit of the slot that
-- starts at slot_start.
CREATE TABLE repairs (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    entry_id      INTEGER REFERENCES entries (id),
    slot_start    INTEGER,
    by_name       TEXT NOT NULL CHECK (length(by_name) BETWEEN 1 AND 60),
    understood    TEXT NOT NULL CHECK (length(understood) BETWEEN 1 AND 4000),
    feeling       TEXT CHECK (feeling IS NULL OR length(feeling) BETWEEN 1 AND 4000),
    apology       TEXT NOT NULL CHECK (length(apology) BETWEEN 1 AND 4000),
    plan          TEXT CHECK (plan IS NULL OR length(plan) BETWEEN 1 AND 4000),
    at            INTEGER NOT NULL,
    device        TEXT NOT NULL CHECK (length(device) = 36 AND device <> '00000000-0000-0000-0000-000000000000'),
    CHECK ((entry_id IS NULL) <> (slot_start IS NULL))
) STRICT;
CREATE INDEX repairs_agreement ON repairs (agreement_id);

-- Not UNIQUE on repair_id: two devices may each record one before they
-- sync; the earliest (time, then uuid) is the one that counts.
CREATE TABLE acceptances (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    repair_id  INTEGER NOT NULL REFERENCES repairs (id),
    by_name    TEXT NOT NULL CHECK (length(by_name) BETWEEN 1 AND 60),
    note       TEXT CHECK (note IS NULL OR length(note) <= 4000),
    at         INTEGER NOT NULL,
    device     TEXT CHECK (device IS NULL OR length(device) = 36)
) STRICT;
CREATE INDEX acceptances_repair ON acceptances (repair_id);

CREATE TRIGGER verdicts_no_update BEFORE UPDATE ON verdicts BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER verdicts_no_delete BEFORE DELETE ON verdicts BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER repairs_no_update BEFORE UPDATE ON repairs BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER repairs_no_delete BEFORE DELETE ON repairs BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER acceptances_no_update BEFORE UPDATE ON acceptances BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER acceptances_no_delete BEFORE DELETE ON acceptances BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;

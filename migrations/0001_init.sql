-- troth ledger, schema version 1.
-- Append-only: every row is a fact with its own uuid and time; nothing is
-- updated in place or deleted. Every figure troth shows is computed from these.
-- Times are UTC seconds since the Unix epoch.

CREATE TABLE settings (
    id      INTEGER PRIMARY KEY,
    uuid    TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    key     TEXT NOT NULL CHECK (key IN ('me', 'partner', 'zone', 'trust.start', 'trust.gain', 'trust.loss',
                                         'overpromise.threshold', 'remind.quiet', 'remind.private')),
    value   TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 200),
    set_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    slug        TEXT NOT NULL CHECK (length(slug) BETWEEN 1 AND 40 AND slug NOT GLOB '*[^a-z0-9-]*'
                                     AND slug GLOB '*[a-z-]*'),
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
    by_name     TEXT NOT NULL CHECK (length(by_name) BETWEEN 1 AND 60),
    to_name     TEXT NOT NULL CHECK (length(to_name) BETWEEN 1 AND 60),
    zone        TEXT NOT NULL CHECK (length(zone) BETWEEN 1 AND 64),
    starts      INTEGER NOT NULL,
    ends        INTEGER CHECK (ends IS NULL OR ends > starts),
    remind      TEXT CHECK (remind IS NULL OR length(remind) BETWEEN 2 AND 20),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE terms_versions (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    terms         TEXT NOT NULL CHECK (length(terms) BETWEEN 1 AND 100),
    unit          TEXT CHECK (unit IS NULL OR length(unit) BETWEEN 1 AND 40),
    effective     INTEGER NOT NULL,
    note          TEXT CHECK (note IS NULL OR length(note) <= 4000),
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX terms_versions_agreement ON terms_versions (agreement_id);

CREATE TABLE status_changes (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    status        TEXT NOT NULL CHECK (status IN ('active', 'paused', 'retired')),
    effective     INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX status_changes_agreement ON status_changes (agreement_id);

CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('kept', 'broken', 'excused')),
    at            INTEGER NOT NULL,
    note          TEXT CHECK (note IS NULL OR length(note) <= 4000),
    logged_by     TEXT NOT NULL CHECK (length(logged_by) BETWEEN 1 AND 60),
    logged_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX entries_agreement_at ON entries (agreement_id, at);

-- A void marks one entry, or one agreement entered by mistake, as counting
-- for nothing. At most one void per thing: a void cannot be voided.
CREATE TABLE voids (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    entry_id      INTEGER UNIQUE REFERENCES entries (id),
    agreement_id  INTEGER UNIQUE REFERENCES agreements (id),
    reason        TEXT CHECK (reason IS NULL OR length(reason) <= 4000),
    voided_at     INTEGER NOT NULL,
    CHECK ((entry_id IS NULL) <> (agreement_id IS NULL))
) STRICT;

-- Reminders: a claim is taken before a notification is sent; its outcome is
-- recorded after. A slot is identified by its agreement and its start.
CREATE TABLE reminder_claims (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    agreement_id  INTEGER NOT NULL REFERENCES agreements (id),
    slot_start    INTEGER NOT NULL,
    claimed_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX reminder_claims_slot ON reminder_claims (agreement_id, slot_start);

CREATE TABLE reminder_results (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    claim_id      INTEGER NOT NULL UNIQUE REFERENCES reminder_claims (id),
    outcome       TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
    detail        TEXT CHECK (detail IS NULL OR length(detail) <= 4000),
    at            INTEGER NOT NULL
) STRICT;

-- Append-only, enforced: no fact is ever changed or removed.
CREATE TRIGGER settings_no_update BEFORE UPDATE ON settings BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER settings_no_delete BEFORE DELETE ON settings BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER agreements_no_update BEFORE UPDATE ON agreements BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER agreements_no_delete BEFORE DELETE ON agreements BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER terms_versions_no_update BEFORE UPDATE ON terms_versions BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER terms_versions_no_delete BEFORE DELETE ON terms_versions BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER status_changes_no_update BEFORE UPDATE ON status_changes BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER status_changes_no_delete BEFORE DELETE ON status_changes BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER reminder_claims_no_update BEFORE UPDATE ON reminder_claims BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER reminder_claims_no_delete BEFORE DELETE ON reminder_claims BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER reminder_results_no_update BEFORE UPDATE ON reminder_results BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER reminder_results_no_delete BEFORE DELETE ON reminder_results BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;

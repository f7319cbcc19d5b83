-- troth ledger, schema version 3: two partners, two devices (DESIGN.md §9).
--
-- identity: the ledger uuid (the couple's ledger, the same on every device
-- that syncs it) and this device's uuid. Append-only like every table: the
-- latest row is the identity. The device never changes; joining another
-- ledger (`troth sync join`) adds a row with the adopted ledger uuid.
CREATE TABLE identity (
    id      INTEGER PRIMARY KEY,
    ledger  TEXT NOT NULL CHECK (length(ledger) = 36),
    device  TEXT NOT NULL CHECK (length(device) = 36),
    since   INTEGER NOT NULL
) STRICT;
INSERT INTO identity (ledger, device, since) VALUES (
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
        || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
        || substr('89ab', 1 + abs(random() % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    unixepoch());
CREATE TRIGGER identity_no_update BEFORE UPDATE ON identity BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER identity_no_delete BEFORE DELETE ON identity BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER identity_one_device BEFORE INSERT ON identity
    WHEN NEW.device <> (SELECT device FROM identity ORDER BY id LIMIT 1)
    BEGIN SELECT RAISE(ABORT, 'a ledger''s device uuid never changes'); END;

-- Every shared fact records the device that made it; every fact made before
-- this version was made here. The nil uuid is only the column's default for
-- existing rows while they are stamped: a new row must name its device.
DROP TRIGGER settings_no_update;
ALTER TABLE settings ADD COLUMN device TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000' CHECK (length(device) = 36);
UPDATE settings SET device = (SELECT device FROM identity);
CREATE TRIGGER settings_no_update BEFORE UPDATE ON settings BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER settings_device BEFORE INSERT ON settings WHEN NEW.device = '00000000-0000-0000-0000-000000000000'
    BEGIN SELECT RAISE(ABORT, 'troth: a new fact must record its device'); END;
DROP TRIGGER agreements_no_update;
ALTER TABLE agreements ADD COLUMN device TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000' CHECK (length(device) = 36);
UPDATE agreements SET device = (SELECT device FROM identity);
CREATE TRIGGER agreements_no_update BEFORE UPDATE ON agreements BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER agreements_device BEFORE INSERT ON agreements WHEN NEW.device = '00000000-0000-0000-0000-000000000000'
    BEGIN SELECT RAISE(ABORT, 'troth: a new fact must record its device'); END;
DROP TRIGGER terms_versions_no_update;
ALTER TABLE terms_versions ADD COLUMN device TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000' CHECK (length(device) = 36);
UPDATE terms_versions SET device = (SELECT device FROM identity);
CREATE TRIGGER terms_versions_no_update BEFORE UPDATE ON terms_versions BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER terms_versions_device BEFORE INSERT ON terms_versions WHEN NEW.device = '00000000-0000-0000-0000-000000000000'
    BEGIN SELECT RAISE(ABORT, 'troth: a new fact must record its device'); END;
DROP TRIGGER status_changes_no_update;
ALTER TABLE status_changes ADD COLUMN device TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000' CHECK (length(device) = 36);
UPDATE status_changes SET device = (SELECT device FROM identity);
CREATE TRIGGER status_changes_no_update BEFORE UPDATE ON status_changes BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER status_changes_device BEFORE INSERT ON status_changes WHEN NEW.device = '00000000-0000-0000-0000-000000000000'
    BEGIN SELECT RAISE(ABORT, 'troth: a new fact must record its device'); END;
DROP TRIGGER entries_no_update;
ALTER TABLE entries ADD COLUMN device TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000' CHECK (length(device) = 36);
UPDATE entries SET device = (SELECT device FROM identity);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER entries_device BEFORE INSERT ON entries WHEN NEW.device = '00000000-0000-0000-0000-000000000000'
    BEGIN SELECT RAISE(ABORT, 'troth: a new fact must record its device'); END;

-- Voids, rebuilt without UNIQUE on entry_id and agreement_id: the same entry
-- voided on two devices keeps both voids (the earlier one counts, §9).
CREATE TABLE voids_v3 (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    entry_id      INTEGER REFERENCES entries (id),
    agreement_id  INTEGER REFERENCES agreements (id),
    reason        TEXT CHECK (reason IS NULL OR length(reason) <= 4000),
    voided_at     INTEGER NOT NULL,
    device        TEXT NOT NULL CHECK (length(device) = 36 AND device <> '00000000-0000-0000-0000-000000000000'),
    CHECK ((entry_id IS NULL) <> (agreement_id IS NULL))
) STRICT;
INSERT INTO voids_v3 (id, uuid, entry_id, agreement_id, reason, voided_at, device)
    SELECT id, uuid, entry_id, agreement_id, reason, voided_at, (SELECT device FROM identity) FROM voids ORDER BY id;
DROP TABLE voids;
ALTER TABLE voids_v3 RENAME TO voids;
CREATE INDEX voids_entry ON voids (entry_id);
CREATE INDEX voids_agreement ON voids (agreement_id);
CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;
CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids BEGIN SELECT RAISE(ABORT, 'troth ledger is append-only'); END;

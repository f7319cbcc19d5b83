-- troth ledger, schema version 5: this device's bookkeeping of its sync
-- folder (DESIGN.md §9). Local: never synced, never exported. Unlike the
-- facts these rows are a record of what the folder held when last read, so
-- a file's row is written once when it is published, applied or refused.

-- The folder this ledger syncs through, and the key derived from the pairing
-- code (the ledger file is private to the user). The latest row is in force.
CREATE TABLE sync_folder (
    id      INTEGER PRIMARY KEY,
    path    TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 4096),
    key     BLOB NOT NULL CHECK (length(key) = 32),
    set_at  INTEGER NOT NULL
) STRICT;

-- Every folder file this ledger has published, applied or refused, by the
-- SHA-256 of its bytes (a device's next file names this hash).
CREATE TABLE sync_files (
    hash     TEXT PRIMARY KEY CHECK (length(hash) = 64),
    name     TEXT NOT NULL,
    device   TEXT NOT NULL CHECK (length(device) = 36),
    person   TEXT,
    seq      INTEGER NOT NULL,
    prev     TEXT,
    written  INTEGER NOT NULL,
    facts    INTEGER NOT NULL,
    state    TEXT NOT NULL CHECK (state IN ('published', 'applied', 'refused')),
    why      TEXT,
    seen_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX sync_files_device ON sync_files (device, seq);

-- The last row of each fact table already in the folder: what is new since
-- is what the next file publishes.
CREATE TABLE sync_marks (
    tbl      TEXT PRIMARY KEY,
    last_id  INTEGER NOT NULL
) STRICT;

-- A digest of the folder's listing when nothing in it was left to do: a
-- command compares it and reads nothing more when the folder is unchanged.
-- The names of files already hashed, so a changed folder reads only new files.
CREATE TABLE sync_listing (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    digest  TEXT NOT NULL
) STRICT;
CREATE TABLE sync_names (
    name  TEXT PRIMARY KEY,
    size  INTEGER NOT NULL,
    hash  TEXT NOT NULL
) STRICT;

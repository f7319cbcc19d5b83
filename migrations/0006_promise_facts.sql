-- troth ledger, schema version 6: one promise's facts without the others'.
-- A covering index: a promise's entries in the engine's order (at, logged,
-- uuid) with every column a trust fact needs, so `show`, `kept` and the
-- summaries read one promise from the index alone, never the whole table.
-- It replaces entries_agreement_at (its prefix), so an entry still updates
-- one index per promise lookup, not two.
CREATE INDEX entries_agreement_facts ON entries (agreement_id, at, logged_at, uuid, outcome);
DROP INDEX entries_agreement_at;

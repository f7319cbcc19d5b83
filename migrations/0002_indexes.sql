-- troth ledger, schema version 2: indexes the engine and `log` use.
-- Entries by time across all promises (log --since/--until, reports).
CREATE INDEX entries_at ON entries (at, id);
-- The latest value of a setting.
CREATE INDEX settings_key ON settings (key, id);
-- Reminder claims by slot, with their outcome.
CREATE INDEX reminder_results_claim ON reminder_results (claim_id, outcome);

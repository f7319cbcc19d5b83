-- troth ledger, schema version 7: a pause, resume or retirement may carry a
-- note, as an amend does ("until the project is over"), so `show` can say
-- why. Older rows have none.
ALTER TABLE status_changes ADD COLUMN note TEXT CHECK (note IS NULL OR length(note) <= 4000);

-- Privacy in free text (R-SEC-1, issue 21): summaries, notes, handover notes and review texts are
-- masked when written (the buyer's own fields, phones, cards, ID numbers, addresses; person names by
-- the nightly job mask-names); the text as written is kept in <field>_raw for a reveal (supervisor,
-- recorded). NULL: masking changed nothing (or a row written before this migration) — the field
-- itself is the raw text.
ALTER TABLE cases ADD COLUMN summary_raw TEXT;
ALTER TABLE case_events ADD COLUMN note_raw TEXT;
ALTER TABLE handover_notes ADD COLUMN text_raw TEXT;
ALTER TABLE reviews ADD COLUMN content_raw TEXT;

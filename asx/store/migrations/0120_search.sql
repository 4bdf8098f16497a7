-- Chinese substring search (issue 18 item 11): `asx case search TEXT` over case summaries and history
-- notes, `asx review search TEXT` over review text, reply and item. SQLite FTS5 with the trigram
-- tokenizer (any 3+ character substring, Chinese included, from the index; shorter text by a scan).
-- The text is the masked/readable text as stored (masking is not changed here).
-- New cases and new notes are indexed by the search itself (asx/store/search.py, from the marks
-- below), so bulk imports pay nothing; a change of stored text (case edit, retention purge R-SEC-4)
-- re-indexes its case at once through the triggers.

CREATE VIRTUAL TABLE case_search USING fts5(text, tokenize = 'trigram');
CREATE VIRTUAL TABLE review_search USING fts5(text, tokenize = 'trigram');

CREATE TABLE search_marks (
    kind TEXT PRIMARY KEY,                    -- 'cases' | 'reviews'
    last_id INTEGER NOT NULL DEFAULT 0,       -- highest case/review id indexed
    last_event INTEGER NOT NULL DEFAULT 0     -- highest case_events id whose note is indexed
);
INSERT INTO search_marks (kind) VALUES ('cases'), ('reviews');

CREATE TRIGGER case_search_summary AFTER UPDATE OF summary ON cases
WHEN NEW.id <= (SELECT last_id FROM search_marks WHERE kind = 'cases')
BEGIN
    DELETE FROM case_search WHERE rowid = NEW.id;
    INSERT INTO case_search (rowid, text)
    SELECT NEW.id, coalesce(NEW.summary, '') || coalesce(' ' || (SELECT group_concat(e.note, ' ')
        FROM case_events e WHERE e.case_id = NEW.id AND e.note IS NOT NULL), '');
END;

CREATE TRIGGER case_search_note AFTER UPDATE OF note ON case_events
WHEN NEW.case_id <= (SELECT last_id FROM search_marks WHERE kind = 'cases')
BEGIN
    DELETE FROM case_search WHERE rowid = NEW.case_id;
    INSERT INTO case_search (rowid, text)
    SELECT c.id, coalesce(c.summary, '') || coalesce(' ' || (SELECT group_concat(e.note, ' ')
        FROM case_events e WHERE e.case_id = c.id AND e.note IS NOT NULL), '')
    FROM cases c WHERE c.id = NEW.case_id;
END;

CREATE TRIGGER case_search_delete AFTER DELETE ON cases
BEGIN
    DELETE FROM case_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER review_search_update AFTER UPDATE OF content, reply, item ON reviews
WHEN NEW.id <= (SELECT last_id FROM search_marks WHERE kind = 'reviews')
BEGIN
    DELETE FROM review_search WHERE rowid = NEW.id;
    INSERT INTO review_search (rowid, text)
    VALUES (NEW.id, coalesce(NEW.content, '') || ' ' || coalesce(NEW.reply, '') || ' ' || coalesce(NEW.item, ''));
END;

CREATE TRIGGER review_search_delete AFTER DELETE ON reviews
BEGIN
    DELETE FROM review_search WHERE rowid = OLD.id;
END;

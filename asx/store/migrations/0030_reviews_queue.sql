-- Review tracking, the contact ladder (R-REV-2/5/6) kept on the row so the work queue is one
-- indexed query: next_step/due_at are recomputed on every write of a review (asx.reviews.ladder).

ALTER TABLE reviews ADD COLUMN added_at INTEGER;          -- when the review entered asx
ALTER TABLE reviews ADD COLUMN item_price_fen INTEGER;
ALTER TABLE reviews ADD COLUMN reply TEXT;                -- the seller's public reply (TradeRate.reply)
ALTER TABLE reviews ADD COLUMN severity_rule TEXT;        -- which rule set the severity (or 'manual')
ALTER TABLE reviews ADD COLUMN round_at INTEGER;          -- current contact round is due from here
ALTER TABLE reviews ADD COLUMN first_msg_at INTEGER;      -- first unanswered message of the round (48 h clock)
ALTER TABLE reviews ADD COLUMN wangwang_at INTEGER;       -- last 旺旺 message of the round
ALTER TABLE reviews ADD COLUMN sms_at INTEGER;            -- last SMS of the round
ALTER TABLE reviews ADD COLUMN phone_at INTEGER;          -- last call of the round
ALTER TABLE reviews ADD COLUMN phone_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN last_result TEXT;          -- no_answer | answered | promised | refused
ALTER TABLE reviews ADD COLUMN compensated_at INTEGER;
ALTER TABLE reviews ADD COLUMN compensated_fen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviews ADD COLUMN next_step TEXT;            -- wangwang | sms | phone | compensate; NULL when closed
ALTER TABLE reviews ADD COLUMN due_at INTEGER;            -- when next_step becomes due

-- R-REV-4: the queue walks this index in order (severe first, then oldest) and stops at --limit.
CREATE INDEX reviews_open_order ON reviews (severity DESC, created_at, id) WHERE next_step IS NOT NULL;
-- what becomes due when, grouped by step; covering for the owner filter and the weekly "stuck" counts
CREATE INDEX reviews_open_due ON reviews (next_step, due_at, owner, progress) WHERE next_step IS NOT NULL;
CREATE INDEX reviews_created ON reviews (created_at);
CREATE INDEX reviews_resolved ON reviews (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX review_events_at ON review_events (at, action);
CREATE INDEX reviews_ledger_review ON ledger (review_id) WHERE review_id IS NOT NULL;

-- Returns 退换货 (seed 000 退换货处理 1–5, R-CASE-8; issue 16 item 7): one row per case that is a
-- return, with the policy check's result as recorded when it was made, the return waybill and
-- courier (searchable), receipt, and the outcome written to the customer's file when it closes.
-- Every change is also a case event (append-only history, R-CASE-6).

CREATE TABLE case_returns (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id),
    reason TEXT NOT NULL CHECK (reason IN ('no_reason', 'fault')),   -- 七天无理由 | the goods are at fault
    goods_category TEXT,
    delivered_at INTEGER,
    requested_at INTEGER NOT NULL,
    policy_result TEXT NOT NULL CHECK (policy_result IN ('accepted', 'refused')),
    policy_why TEXT,                          -- why refused, one line per rule broken
    postage_payer TEXT CHECK (postage_payer IN ('buyer', 'store')),
    waybill TEXT,                             -- the return waybill 退货运单号
    courier TEXT,
    received_at INTEGER,                      -- goods arrived (R-CASE-8: inspected on arrival)
    closed_at INTEGER,                        -- the customer's file updated (seed 000 退换货 5)
    outcome TEXT,                             -- resolution / inspection at close
    updated_at INTEGER NOT NULL,
    updated_by TEXT
);
CREATE INDEX case_returns_waybill ON case_returns (waybill);

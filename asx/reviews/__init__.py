"""Review tracking (R-REV): neutral 中评 / negative 差评 reviews, the contact ladder, the work queue.

Modules: :mod:`ladder` (pure: next step and when it is due, call windows), :mod:`severity`
(rules, R-REV-4), :mod:`importer` (TradeRate CSV/JSON/JSONL readers), :mod:`service` (actions
that write events), :mod:`queue` (``asx review next``), :mod:`report` (the Monday view).
None of them knows click.
"""

PROGRESS = ("open", "promised", "awaiting_compensation", "revised", "refused")  # R-REV-3
TERMINAL = ("revised", "refused")
VIAS = ("wangwang", "sms", "phone")  # R-REV-2
CONTACT_RESULTS = ("no_answer", "answered", "promised", "refused")
STEPS = ("wangwang", "sms", "phone", "compensate")

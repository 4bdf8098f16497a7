"""Cases (R-CASE) and their service levels (R-SLA): plain domain modules, no click.

* :mod:`asx.cases.model`   categories with checklists, statuses and the lifecycle table
* :mod:`asx.cases.sla`     SLA targets, the fast service clock, ``recompute``
* :mod:`asx.cases.service` ``open_case`` and ``act`` (every action; one history event each)
* :mod:`asx.cases.importer` CSV/JSON/JSONL import, streaming, idempotent, all-or-nothing
"""

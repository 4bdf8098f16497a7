"""The daily view (issue 11): one screen for the agent (``asx me``), one for the supervisor
(``asx today``), the roster-aware SLA forecast (``asx sla forecast``) and case auto-assignment.

Plain modules without click: :mod:`.shifts` (an agent's segments as datetimes), :mod:`.assign`
(the assignment rule), :mod:`.forecast`, :mod:`.me`, :mod:`.today`, :mod:`.render` (one
screen on a terminal). All SQL is in :mod:`asx.store.daily`.
"""

"""The shift roster (R-ROS). No module here imports click; ``asx/commands/roster.py`` is the
thin shell over the use cases. OR-Tools is imported only inside the solver's functions.

The engine — pure library code, no database:
  model         shifts, rule families, agents, Problem and Roster (the data and what it means)
  solver        the CP-SAT solver and repair
  checker       the independent checker: every hard violation and soft penalty, itemised
  engines       the engine registry (``register_roster_engines``)
  nrp           reader of the NRP benchmark format
  ics           iCalendar writer (stable UIDs)
  run_settings  the ``[roster]`` run settings (engine, limits), light to import

Shared by the use cases:
  days          Monday/Sunday, day ranges, typed dates, the range a query means
  cells         one cell as stored row, engine value and typed text
  problem       workspace to engine: rules, engines, team, calendar, leave, history, context
  changes       plan and apply writes to ``roster_days``, recording every change
  duty          who is on duty (R-ROS-9): the one implementation, pure and store-backed

Use cases, one module each:
  generate      solve a horizon and lay it out, keeping published days (R-ROS-1..6)
  regenerate    re-plan from the next switch day when the team changes (R-ROS-4/5)
  check_stored  check the stored roster (R-ROS-1..10)
  publish       pin days (R-ROS-5)
  leave         record leave and repair with covers (R-ROS-7)
  overrides     supervisor swap / set with a reason (R-ROS-7)
  csv_import    import a hand-edited CSV
  ics_export    export the stored roster as iCalendar
  grid          the stored roster as agents × days (``roster show``)
  fairness      fairness counters and spread (R-ROS-10, R-ROS-6)
  coverage      one day's minimums, uncovered shifts, cover candidates (``asx today``)
"""

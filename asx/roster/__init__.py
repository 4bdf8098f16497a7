"""Roster engine (R-ROS): model, CP-SAT solver, independent checker, repair.

Pure library code: no click, no database.  ``asx.roster.engines`` is the entry
point the CLI uses; OR-Tools is imported only inside the solver functions.
"""

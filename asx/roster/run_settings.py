"""Settings of a roster run (engine, limits), kept light: registering settings runs at every start."""

RUN_SETTINGS = {
    "engine": ("str", "cpsat", "Roster engine (see `asx plugins`; built-in: cpsat)."),
    "time_limit": ("float", 10.0, "Seconds the solver may search (deterministic time); the best roster so far "
                                  "is kept with its status (optimal, or feasible with a gap)."),
    "seed": ("int", 0, "Random seed of the solver: same input and seed give the same roster."),
    "workers": ("int", 2, "Solver threads; part of the input: the same count gives the same roster."),
    "weeks": ("int", 3, "Weeks `asx roster generate` plans when --weeks is not given."),
    "repair_window_weeks": ("int", 1, "Weeks after a leave that a repair may change (fewest changes, R-ROS-7)."),
}

"""Core: the app, plugin host, hook specs, configuration, errors, time, calendar, labels, workspace."""

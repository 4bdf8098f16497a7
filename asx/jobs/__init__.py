"""Scheduled jobs: the nightly runner, apart from the command line."""

"""Privacy domain: retention and purge (R-SEC-4)."""

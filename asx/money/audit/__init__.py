"""The refund audit (R-FIN-3): statements against the ledger, cases and roster. See engine.py."""

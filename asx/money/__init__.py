"""Money domain: ledger, payment notes (R-FIN-2), statements, refund audit (R-FIN)."""

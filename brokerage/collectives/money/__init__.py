"""Money: each locality's fund per financial year and its append-only ledger."""

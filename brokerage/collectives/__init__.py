"""Locality collectives: membership, registers of interests, and each locality's fund and ledger."""

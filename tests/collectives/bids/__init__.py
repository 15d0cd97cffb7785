"""Tests of brokerage/collectives/bids/ (fixtures from tests/collectives/conftest.py)."""

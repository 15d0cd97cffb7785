"""Tests of brokerage/collectives/voting/ (fixtures from tests/collectives/conftest.py)."""

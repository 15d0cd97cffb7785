"""Tests of brokerage/collectives/reports/ (fixtures from tests/collectives/conftest.py)."""

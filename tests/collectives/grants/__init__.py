"""Tests of brokerage/collectives/grants/ (fixtures from tests/collectives/conftest.py)."""

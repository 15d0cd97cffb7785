"""Tests of brokerage/collectives/money/ (fixtures from tests/collectives/conftest.py)."""

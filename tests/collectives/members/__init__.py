"""Tests of brokerage/collectives/members/ (fixtures from tests/collectives/conftest.py)."""

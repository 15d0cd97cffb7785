"""Fixtures for the payment and grant tests: a bid approved by the Barnsley collective with a
£4,000 award, and its grant agreement signed (on top of tests/collectives/conftest.py)."""
import pytest

from .helpers import approve, sign


@pytest.fixture
def approved(app, poll_id, electorate) -> int:
    """The id of an approved bid with a £4,000 award, its grant agreement not signed yet."""
    return approve(app, poll_id, electorate)


@pytest.fixture
def awarded(app, world, approved) -> int:
    """The id of an approved bid with a £4,000 award, its grant agreement signed, nothing paid yet."""
    return sign(app, world, approved)

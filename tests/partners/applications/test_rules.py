"""The pure rules of applications: the honeypot and deciding once."""
import pytest

from brokerage.partners.applications.rules import looks_automated, may_decide


@pytest.mark.parametrize("honeypot, automated", [(None, False), ("", False), ("   ", False),
                                                 ("http://spam.example", True), ("x", True)])
def test_only_a_filled_honeypot_looks_automated(honeypot, automated):
    assert looks_automated(honeypot) is automated


@pytest.mark.parametrize("state, decidable", [("pending", True), ("accepted", False), ("declined", False)])
def test_an_application_is_decided_only_while_pending(state, decidable):
    assert may_decide(state) is decidable

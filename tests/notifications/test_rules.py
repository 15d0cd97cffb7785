"""When a message is tried again, when it has failed for good, and when the daily digest is due."""
from datetime import datetime, timedelta, timezone

import pytest

from brokerage.notifications import rules

UTC = timezone.utc


def test_each_failed_try_waits_twice_as_long_as_the_last():
    assert [rules.backoff(tries) for tries in range(1, 6)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]


def test_a_message_is_tried_again_until_its_last_try_then_fails():
    now = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    assert rules.after_failure(tries=1, now=now) == ("pending", now + timedelta(minutes=1))
    assert rules.after_failure(tries=rules.MAX_TRIES - 1, now=now) == ("pending", now + timedelta(minutes=16))
    assert rules.after_failure(tries=rules.MAX_TRIES, now=now) == ("failed", now)


@pytest.mark.parametrize("text", ["8:00", "24:00", "08:60", "eight", "", "08:00:00"])
def test_a_digest_time_must_be_hours_and_minutes(text):
    with pytest.raises(ValueError, match="24-hour clock"):
        rules.parse_digest_time(text)


def test_the_digest_goes_once_a_day_at_its_london_time_in_summer_and_winter():
    summer_before = datetime(2026, 7, 1, 6, 59, tzinfo=UTC)  # 07:59 in London (BST)
    summer_at = datetime(2026, 7, 1, 7, 0, tzinfo=UTC)  # 08:00 in London
    yesterday = datetime(2026, 6, 30, 7, 0, tzinfo=UTC)
    assert not rules.digest_due(now=summer_before, digest_time="08:00", last_digest_at=yesterday)
    assert rules.digest_due(now=summer_at, digest_time="08:00", last_digest_at=yesterday)
    assert not rules.digest_due(now=summer_at + timedelta(hours=5), digest_time="08:00", last_digest_at=summer_at)
    winter_at = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # 08:00 in London (GMT)
    assert rules.digest_due(now=winter_at, digest_time="08:00", last_digest_at=winter_at - timedelta(days=1))
    assert not rules.digest_due(now=winter_at - timedelta(minutes=1), digest_time="08:00",
                                last_digest_at=winter_at - timedelta(days=1))


def test_a_first_digest_is_due_at_once():
    assert rules.digest_due(now=datetime(2026, 12, 4, 3, 0, tzinfo=UTC), digest_time="08:00", last_digest_at=None)


def test_a_digest_part_keeps_the_messages_words_and_reason_without_greeting_signature_or_unsubscribe():
    text = ("Hello Ann,\n\nA decision was made on Paint club.\n\nDecision: Approved.\n\nThe Barnsley collective\n\n"
            "Why you received this: You are a member of the Barnsley collective.\n\n"
            "To stop getting these emails, open this link: https://example.org/notifications/unsubscribe/x\n"
            "(or choose which emails you get on your account page).\n")
    assert rules.digest_part(text) == ("A decision was made on Paint club.\n\nDecision: Approved.\n\n"
                                       "Why you received this: You are a member of the Barnsley collective.")


def test_a_digest_part_of_text_without_the_layout_is_kept_whole():
    assert rules.digest_part("  Just these words.\n") == "Just these words."

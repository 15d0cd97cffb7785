"""Votes on bids: decision rules and rule sets, planning and opening a vote, ballots, closing and deciding."""

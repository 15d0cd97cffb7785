"""Votes on bids: decision rules and rule sets, who may see a poll, planning and opening a vote,
ballots, closing and deciding, and settling due votes before the pages that show them."""

"""Bids for match funding: drafting, who may see and act on them, their lifecycle to a vote, and the match rule."""

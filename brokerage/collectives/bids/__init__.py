"""Bids for match funding: drafting, who may see and act on them, their life (one table of
states and moves), and the match rule."""

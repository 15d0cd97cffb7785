"""General meetings: the founding meeting, annual general meetings, and meetings that amend the constitution."""

"""Wellbeing measures: SWEMWBS scoring, participant codes, one-time links, pairing, results and hidden counts."""

"""Outcomes: SWEMWBS wellbeing measures recorded against projects, paired and summarised."""

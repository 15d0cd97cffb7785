"""Listing activities: their tables, schedules and sessions, taxonomy and vocabulary, who may
list and edit them, and the pages for the people who keep them up to date."""

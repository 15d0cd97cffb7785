"""Activity directory: activities (Open Referral names), listing, public search, offline geography,
schedules and occurrences, iCalendar and the activity taxonomy."""

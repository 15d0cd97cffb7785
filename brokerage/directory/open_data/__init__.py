"""Open data: the Open Referral UK 3.0 API, read-only, its queries and its records."""

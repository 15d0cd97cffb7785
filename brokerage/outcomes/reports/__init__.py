"""Impact reports: scopes and who sees them, reports per year, the public headline, the CSV, story panels."""

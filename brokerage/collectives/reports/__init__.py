"""Reports per locality and financial year, for coordinators."""

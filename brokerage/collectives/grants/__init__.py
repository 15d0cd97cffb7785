"""After approval: grant agreements and end-of-grant reports, payments and corrections, the 360Giving feed."""

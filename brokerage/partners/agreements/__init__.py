"""Partnership agreements: the status from the dates (pure), recording an agreement, the renewals list."""

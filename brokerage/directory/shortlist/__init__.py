"""Workers' shortlists ("activity prescription"): kept by a token, shared by a read-only link."""

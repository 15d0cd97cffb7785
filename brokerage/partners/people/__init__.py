"""A partner's people: named contacts, the accounts that act for it, and the page that links them and champions."""

"""Hosting: a partner holds a group's money under an agreement; its ledger, expenses and graduation."""

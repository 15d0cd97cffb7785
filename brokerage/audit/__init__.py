"""The append-only audit trail of changes to accounts, money, votes, decisions and constitutions."""

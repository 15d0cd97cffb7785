"""Members of each collective: joining, roles, leaving, and each member's register of interests."""

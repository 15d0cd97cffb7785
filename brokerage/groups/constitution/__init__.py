"""A group's constitution: the builder's choices and rules, its clauses, drafting, adopted versions."""

"""Writing and storing: the unit of work, SQLite's engine settings, append-only tables, the audit
seam, core's tables (localities, kept forms) and column types."""

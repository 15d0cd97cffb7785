"""Partner organisations: finding, registering, editing and archiving them, their forms and the CSV export."""

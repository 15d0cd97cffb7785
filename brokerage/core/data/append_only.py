"""Append-only tables: rows are inserted, never updated or deleted (security.md row 16).

Enforced twice: an ORM check before every flush, and database triggers, so that no code
path, bulk statement or raw SQL can rewrite history. Corrections are new rows.
"""

from sqlalchemy import DDL, event
from sqlalchemy.orm import Session


def trigger_statements(table: str) -> dict[str, list[str]]:
    """The triggers, per dialect, that make `table` refuse UPDATE and DELETE."""
    return {
        "sqlite": [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        ],
        "postgresql": [
            f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
        ],
    }


def make_append_only(model, error: type[Exception], message: str) -> None:
    """Refuse changes to `model` rows: `error(message)` from the ORM, triggers in the database."""

    @event.listens_for(Session, "before_flush")
    def refuse_changes(session, flush_context, instances):
        for obj in list(session.dirty) + list(session.deleted):
            if isinstance(obj, model) and (obj in session.deleted or session.is_modified(obj)):
                raise error(message)

    for dialect, statements in trigger_statements(model.__tablename__).items():
        for statement in statements:
            event.listen(model.__table__, "after_create", DDL(statement).execute_if(dialect=dialect))

"""The append-only audit trail of changes to accounts, money, votes, decisions and constitutions.
Above accounts (the trail shows who acted), below every feature that records events.

- `models.py` the trail's one table, append-only; `services.py` recording events (in the
  caller's transaction: it never commits) and reading them back; `forms.py`, `views.py` the
  coordinators' filtered list.

Features above audit call `services.record_event`; accounts, below it, calls
`core.data.auditing.record_event`, into which the app factory plugs `services.record_event`.
`blueprints()` lists the feature's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """The feature's blueprints, imported here so that importing the package stays cheap."""
    from .views import bp as audit

    return (audit,)

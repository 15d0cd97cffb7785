"""Peer-led groups: people who start a community group, adopt a constitution, hold general
meetings, open a bank account or are hosted by a partner, and become ready for funding.

A package of stages, in order (a stage imports only the modules below it); each uses the same
file names with one meaning each (`models.py` tables, `rules.py` pure functions, `access.py` who
may do what, `services.py` actions that commit through the unit of work, `pages.py` what a page
shows, `forms.py`, `views.py` routes on the one `groups` blueprint of `blueprint.py`):

- at the bottom, the group itself: `models.py` every table that who-may-act and the lifecycle
  read (the group, its people, constitution drafts and versions, meetings, hosting agreements);
  `rules.py` who counts as unrelated, the readiness checklist and the stage (pure);
  `access.py` who may see, change, start and close a group; `lifecycle.py` the one table of a
  group's stages and the moves between them, which every action that may move a group consults.
- `constitution/`: the builder's choices, questions and rules (`rules.py`), the clauses
  (`clauses.py`), comparing versions (`compare.py`), answering and reading (`services.py`).
- `people/`: members, committee, signatories, officers and declared relationships.
- `meetings/`: the founding meeting that adopts version 1, AGMs, amendments (`rules.py`: when a
  vote passes and what makes a quorum).
- `hosting/`: a partner holding a group's money: the agreement (`services.py`), the held money's
  ledger (`ledger.py`), expenses approved by two unrelated officers (`expenses.py`), who may do
  what (`access.py`), its own records (`models.py`).
- at the top, the group's own actions (`services.py`: start, details, champions, bank account,
  safeguarding, closing), the calendar and attention list (`pages.py`), `forms.py`, `views.py`,
  the demo groups (`seed.py`) and the worker's checks (`reminders.py`: the AGM and notice
  deadlines, hosting applications left undecided).

`blueprints()` lists the feature's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """The feature's one blueprint, with every stage's routes on it. Imported here rather than at
    the top, so that importing the package stays cheap and free of import cycles."""
    from . import reminders as _reminders  # noqa: F401  (registers the AGM deadlines' sweep)
    from . import views as _group  # noqa: F401
    from .blueprint import bp
    from .constitution import views as _constitution  # noqa: F401  (routes on the same blueprint)
    from .hosting import views as _hosting  # noqa: F401
    from .meetings import views as _meetings  # noqa: F401
    from .people import views as _people  # noqa: F401

    return (bp,)

"""Accounts: the people who sign in, their roles, sessions and passwords. Above core, below every
other feature (audit included: accounts records its events through `core.data.auditing`).

- `models.py` accounts, roles held, sessions, invitations and the sign-in throttle's counts;
  `access.py` who may manage accounts; `passwords.py` the password rule and hashing (pure);
  `throttle.py` counting failed sign-ins; `sessions.py` server-side sessions; `auth.py`
  Flask-Login's wiring.
- `services.py` managing accounts (creating, inviting, links, roles, details, activation);
  `credentials.py` a person's own: signing in and out, setting and changing a password;
  `reset.py` forgotten passwords (the emailed link, the same answer whatever was typed).
- `forms.py`, `views.py` the blueprint.

`blueprints()` lists the feature's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """The feature's blueprints, imported here so that importing the package stays cheap."""
    from .views import bp as accounts

    return (accounts,)

"""Cross-cutting pieces every feature uses; the lowest layer, importing no feature.

- Access: `roles.py` the roles a person holds; `access.py` every view's declared rule and the one
  hook that enforces it; `security.py` response headers; `log_privacy.py` what logs may hold.
- Writing: `unit_of_work.py` the one place that commits; `database.py` SQLite's engine settings;
  `append_only.py` tables that are never changed; `auditing.py` the seam through which accounts
  adds to the audit trail without importing audit; `tokens.py` random tokens and their hashes.
- Values: `models.py` localities and kept forms; `types.py`, `timeutils.py`, `postcodes.py`,
  `characters.py`; `converters.py` URL converters; `filters.py` template filters.
- Forms: `forms.py` and `fields.py` the shared form pieces; `kept_forms.py` what a person typed
  when their session ended.
- Pages: `views.py` the home page, each person's starting page and the health check;
  `pages.py` what the starting page offers each role; `context.py` the navigation;
  `panels.py` sections that features above add to a page below them.

Navigation and the starting page name other features' pages by endpoint, a string resolved
when a page is drawn, never by import: core depends on no feature.

`blueprints()` lists core's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """Core's blueprints, imported here so that importing the package stays cheap."""
    from .views import bp as core

    return (core,)

"""Cross-cutting pieces every feature uses; the lowest layer, importing no feature.

Four sub-packages, by concern:

- `web/`: `access.py` every view's declared rule and the one hook that enforces it;
  `security.py` response headers; `log_privacy.py` what logs may hold; `converters.py` URL
  converters; `filters.py` template filters; `context.py` the navigation; `panels.py` sections
  that features above add to a page below them; `views.py` the home page, each person's starting
  page and the health check; `pages.py` what the starting page offers each role.
- `data/`: `unit_of_work.py` the one place that commits; `database.py` SQLite's engine settings;
  `append_only.py` tables that are never changed; `auditing.py` the seam through which accounts
  adds to the audit trail without importing audit; `models.py` localities and kept forms;
  `types.py` column types.
- `input/`: `forms.py` and `fields.py` the shared form pieces; `characters.py` what a form refuses
  or cleans; `kept_forms.py` what a person typed when their session ended.
- `values/`: `roles.py` the roles a person holds; `tokens.py` random tokens and their hashes;
  `timeutils.py` UTC and Europe/London, financial years; `postcodes.py` UK postcodes.

Navigation and the starting page name other features' pages by endpoint, a string resolved
when a page is drawn, never by import: core depends on no feature.

`blueprints()` lists core's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """Core's blueprints, imported here so that importing the package stays cheap."""
    from .web.views import bp as core

    return (core,)

"""Outcomes: SWEMWBS wellbeing measures recorded against projects, paired and summarised, the
stories community reporters collect, and the impact reports made of both.

A package of stages, in order; each stage uses the same file names with one meaning each
(`models.py` tables, `rules.py` pure functions, `access.py` who may do what, `services.py`
actions that commit, `pages.py` what a page shows, `forms.py`, `views.py` the blueprint):

- here: `projects.py` finds the project (a directory activity) every stage records against;
  `seed.py` the demo measures and stories.
- `small_numbers/`: which counts of people may be shown, pure: every count below 5 hidden and
  the others hidden with it so that none can be worked out by subtraction (`rules.py`), and the
  linear equations that audit what a reader can work out (`equations.py`).
- `stories/`: community reporter stories with their consent (`models.py`), who runs a project's
  stories (`access.py`), adding, editing, withdrawing and erasing them (`services.py`), their
  pages (`views.py`) and `flask outcomes erase-unconsented-stories` (`cli.py`).
- `measures/`: participant codes, measures and one-time links (`models.py`), the SWEMWBS scale
  (`rules.py`, pure), pairing and change (`pairing.py`, pure), who may record (`access.py`),
  recording (`services.py`) and answering by link (`links.py`), the counts every page hides
  (`suppression.py`), a project's results (`results.py`), the wellbeing pages (`views.py`).
- `reports/`: what a report covers (`scopes.py`) and who sees it (`access.py`), the report for a
  year and the report index (`pages.py`), the public headline (`headline.py`), the CSV
  (`export.py`), the stories panels on activity and partner pages (`panels.py`), the impact
  pages (`views.py`).

`blueprints()` lists the feature's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """The feature's blueprints, in the order the app registers them. Imported here rather
    than at the top, so that importing the package stays cheap and free of import cycles."""
    from .measures.views import bp as outcomes
    from .reports.views import bp as impact
    from .stories.views import bp as stories

    return (outcomes, stories, impact)

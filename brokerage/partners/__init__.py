"""Community partners: the organisations the Trust works with, their partnership agreements,
their people and the champions who support them.

A package of stages, in order; each stage uses the same file names with one meaning each
(`models.py` tables, `rules.py` pure functions, `access.py` who may do what, `services.py`
actions that commit, `pages.py` what a page shows, `forms.py`, `views.py` the blueprint):

- here, what every stage shares: `models.py` every partner table (other features point a
  ForeignKey at `partner.id`), `access.py` who may see, create, edit, archive and link people to a
  partner, `validation.py` checking and normalising identifiers, names, websites and phones,
  `vocabulary.py` organisation types and interests, `forms.py` what the stages' forms share,
  `page.py` the partner page's panels that other features register, `recipients.py` who hears
  about a partner (its contacts, champions, the coordinators); and, above the stages,
  `views.py` the partner pages (list and search, the partner page, registering and editing, the
  agreement, archiving, renewals, the CSV) and `seed.py` the demo partners.
- `agreements/`: the agreement's status from its dates and the dates a signed one needs
  (`rules.py`, pure), recording it (`services.py`), the renewals list (`pages.py`), its form.
- `champions/`: champion profiles, their links to partners and suggestions (`services.py`),
  the champion pages (`views.py`).
- `organisations/`: finding, registering, editing and archiving partners (`services.py`), the
  partner forms, and the CSV export (`export.py`).
- `applications/`: organisations applying to become partners on a public page, and the coordinators'
  queue where each is accepted (registered through `organisations`, its contact linked through
  `people` and invited) or declined with a reason; both emailed.
- `marks/`: the mental-health-friendly mark: a scheme per locality with criteria and an award
  length, partners' applications with evidence, coordinators' assessments and awards with an
  expiry, the expiring list, and which partners hold the mark today (`pages.py`, for the directory).
- `people/`: a partner's named contacts and the accounts that act for it (`services.py`), and
  the page where they are managed and champions linked (`views.py`).

`blueprints()` lists the feature's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """The feature's blueprints, in the order the app registers them. Imported here rather
    than at the top, so that importing the package stays cheap and free of import cycles."""
    from .agreements import reminders as _reminders  # noqa: F401  (registers the weekly digest's sweep)
    from .applications.views import bp as applications
    from .champions.views import bp as champions
    from .marks import reminders as _mark_reminders  # noqa: F401  (registers the weekly expiry digest's sweep)
    from .marks.views import bp as marks
    from .people.views import bp as partner_people
    from .views import bp as partners

    return (partners, partner_people, champions, applications, marks)

"""Locality collectives: the people with lived experience, carers, Trust staff and community
members who decide, in each locality, which partners' bids the locality's fund matches.

A package of stages, in order (each may import the ones before it, never the ones after:
contracts/collectives.ini); each stage uses the same file names with one meaning each
(`models.py` tables, `rules.py` pure functions, `access.py` who may do what, `services.py`
actions that commit through core/data/unit_of_work.py, `pages.py` what a page shows, read only,
`forms.py`, `views.py` the blueprint, `seed.py` demo data):

- here: `models.py` collectives, memberships, join requests, registers of interests;
  `pages.py`, `forms.py`, `views.py` the collectives pages, allocating money, a member's own
  page; `versions.py` which version of a collective's rules is in force on a day; `seed.py`
  the demo collectives; `cli.py` `flask close-due-polls`; `reminders.py` the checks the
  delivery worker runs (the reminder to vote, closing due votes).
- `members/`: joining, roles and leaving (`membership.py`); registers of interests (`interests.py`).
- `money/`: each locality's fund per financial year and its append-only ledger (`models.py`),
  the ledger's arithmetic (`ledger.py`), allocating, earmarking, committing, paying (`services.py`).
- `notices/`: the collectives' messages (vote opened, reminder, decision, deferral, bid returned
  or withdrawn), written to the outbox from plain values by the stage that causes them, in its
  unit of work (`messages.py`), to the people `people.py` finds (electors, the partner's people).
- `calls/`: calls for bids: a collective turns a gap into a call (title, what is wanted, postcode
  districts, category, audience, an upper amount within the fund's available money, a closing
  date); partners and champions of the locality see open calls and are emailed; a bid may answer
  one (`rules.py` pure, `services.py`, `pages.py` with the call page's panels, `messages.py`).
- `bids/`: bids and their match-funding lines: drafting (`services.py`), who may see and act
  on them (`access.py`), the bid's life, every state and move in one table (`lifecycle.py`,
  pure) and making the moves (`moves.py`), the match rule (`rules.py`, pure) and each
  collective's versioned match rule (`match_rules.py`), the parts later stages add to the bid
  pages (`pages.py`).
- `voting/`: the quorum and decision rules (`rules.py`, pure) and each collective's versions
  (`rule_sets.py`), who may see and act on a poll (`access.py`), opening a vote (`planning.py`,
  then `opening.py`), declarations and votes (`ballots.py`), closing and deciding, and settling
  due votes before the pages that show them (`closing.py`), what the vote pages show (`pages.py`).
- `grants/`: after approval: the grant agreement and end-of-grant report (`stages.py`),
  payments (`payments.py`), correcting the ledger by reversal (`corrections.py`), and the
  360Giving open-data feed (`giving.py`, served by `api.py`); `views.py` holds the grant
  stages' and the payments' blueprints.
- `reports/`: reports per locality and financial year (`pages.py`), for coordinators.

`blueprints()` lists the feature's blueprints for the app factory to register.
"""


def blueprints() -> tuple:
    """The feature's blueprints, in the order the app registers them. Imported here rather
    than at the top, so that importing the package stays cheap and free of import cycles."""
    from .bids.views import bp as bids
    from .calls.views import bp as calls
    from .grants.api import bp as grants_api
    from .grants.views import bp as grant_stages
    from .grants.views import payments_bp as payments
    from .reminders import register_sweeps
    from .reports.views import bp as reports
    from .views import bp as collectives
    from .voting.views import bp as polls

    register_sweeps()  # the worker's checks: reminders to vote, closing due votes
    return (collectives, calls, bids, polls, payments, grant_stages, grants_api, reports)

"""Demo data: read from the files in seed/ and loaded through the services, idempotently."""

import json
import secrets
from pathlib import Path

from sqlalchemy import select

from .accounts import services as accounts
from .collectives.bids.seed import seed_bids
from .collectives.calls.seed import seed_calls
from .collectives.grants.seed import seed_awards
from .collectives.seed import seed_collectives
from .collectives.voting.seed import seed_open_votes
from .core.data.models import Locality
from .core.data.unit_of_work import unit_of_work
from .core.values.roles import Role
from .directory.seed import seed_activities, seed_directory_reference, seed_search_misses
from .extensions import db
from .groups.seed import seed_groups
from .outcomes.seed import seed_outcomes, seed_stories
from .partners.seed import seed_partners

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def _read(name: str, seed_dir: Path) -> list[dict]:
    return json.loads((seed_dir / name).read_text(encoding="utf-8"))


def seed_localities(seed_dir: Path = SEED_DIR) -> int:
    """The four localities are reference data every deployment needs; returns how many were added."""
    existing = set(db.session.scalars(select(Locality.slug)))
    added = [Locality(**row) for row in _read("localities.json", seed_dir) if row["slug"] not in existing]
    with unit_of_work():
        db.session.add_all(added)
    return len(added)


def demo_password() -> str:
    """A random password for a demo account, printed once and never stored in the code."""
    return secrets.token_urlsafe(12)


def seed_demo_users(seed_dir: Path = SEED_DIR) -> list[tuple[str, str, str]]:
    """Create the demo accounts that do not exist yet; returns (email, roles, password) for each new one."""
    created = []
    for row in _read("users.json", seed_dir):
        if accounts.find_user_by_email(row["email"]):
            continue
        password = demo_password()
        accounts.create_user(
            actor=None, email=row["email"], name=row["name"], roles=[Role(r) for r in row["roles"]], password=password
        )
        created.append((row["email"], ", ".join(row["roles"]), password))
    return created


def seed_demo(seed_dir: Path = SEED_DIR) -> list[tuple[str, str, str]]:
    seed_localities(seed_dir)
    seed_directory_reference()
    created = seed_demo_users(seed_dir)
    seed_partners(seed_dir)
    seed_groups(seed_dir)
    seed_collectives(seed_dir)
    seed_calls(seed_dir)
    seed_bids(seed_dir)
    seed_awards(seed_dir)
    seed_open_votes(seed_dir)
    seed_activities(seed_dir)
    seed_search_misses(seed_dir)
    seed_outcomes(seed_dir)
    seed_stories(seed_dir)
    return created

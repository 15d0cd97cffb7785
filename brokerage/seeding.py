"""Demo data: read from the files in seed/ and loaded through the services, idempotently."""
import json
import secrets
from pathlib import Path

from sqlalchemy import select

from .accounts import services as accounts
from .accounts.roles import Role
from .core.models import Locality
from .extensions import db

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def _read(name: str, seed_dir: Path) -> list[dict]:
    return json.loads((seed_dir / name).read_text(encoding="utf-8"))


def seed_localities(seed_dir: Path = SEED_DIR) -> int:
    """The four localities are reference data every deployment needs; returns how many were added."""
    existing = set(db.session.scalars(select(Locality.slug)))
    added = [Locality(**row) for row in _read("localities.json", seed_dir) if row["slug"] not in existing]
    db.session.add_all(added)
    db.session.commit()
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
        accounts.create_user(actor=None, email=row["email"], name=row["name"],
                             roles=[Role(r) for r in row["roles"]], password=password)
        created.append((row["email"], ", ".join(row["roles"]), password))
    return created


def seed_demo(seed_dir: Path = SEED_DIR) -> list[tuple[str, str, str]]:
    seed_localities(seed_dir)
    return seed_demo_users(seed_dir)

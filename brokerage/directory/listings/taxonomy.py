"""The activity taxonomy: a two-level tree of categories (arts > painting, sport > walking
football, ...) shipped as reference data and loaded idempotently.

Identifiers published through Open Referral are UUIDs derived from the codes, so every
deployment gives the same category the same identifier."""

import json
import uuid
from pathlib import Path

from sqlalchemy import select

from ...core.data.unit_of_work import unit_of_work
from ...extensions import db
from ..models import Taxonomy, TaxonomyTerm

TAXONOMY_FILE = Path(__file__).resolve().parent / "data" / "taxonomy.json"
UUID_NAMESPACE = uuid.UUID("0d7c7a52-3f44-5a8e-9c1b-6c2f4e0a9b11")


def stable_uuid(*codes: str) -> str:
    """The same UUID for the same taxonomy (and term) codes, everywhere."""
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(codes)))


def _load_taxonomy_row(data: dict) -> Taxonomy:
    taxonomy = db.session.scalar(select(Taxonomy).where(Taxonomy.code == data["code"]))
    if taxonomy is None:
        taxonomy = Taxonomy(code=data["code"], uuid=stable_uuid(data["code"]))
        db.session.add(taxonomy)
    taxonomy.name, taxonomy.description, taxonomy.version = data["name"], data["description"], data["version"]
    db.session.flush()
    return taxonomy


def _load_term(taxonomy: Taxonomy, data: dict, parent: TaxonomyTerm | None, existing: dict[str, TaxonomyTerm]) -> int:
    """Add or update one term and its children; returns how many terms were added."""
    term = existing.get(data["code"])
    added = term is None
    if term is None:
        term = TaxonomyTerm(taxonomy=taxonomy, code=data["code"], uuid=stable_uuid(taxonomy.code, data["code"]))
        db.session.add(term)
    term.name, term.description, term.parent = data["name"], data["description"], parent
    return added + sum(_load_term(taxonomy, child, term, existing) for child in data.get("children", []))


def load_taxonomy(path: Path = TAXONOMY_FILE) -> int:
    """Load (or refresh names, descriptions and parents of) the shipped taxonomy; terms are
    never deleted, because activities may point at them. Returns the number of terms added."""
    with unit_of_work():
        data = json.loads(path.read_text(encoding="utf-8"))
        taxonomy = _load_taxonomy_row(data)
        existing = {
            term.code: term
            for term in db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy.id))
        }
        added = sum(_load_term(taxonomy, term, None, existing) for term in data["terms"])
    return added


def with_descendants(term_ids: set[int]) -> set[int]:
    """The given terms and every term below them (choosing "Sport" includes walking football)."""
    found, frontier = set(term_ids), set(term_ids)
    while frontier:
        frontier = set(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.parent_id.in_(frontier))))
        frontier -= found
        found |= frontier
    return found

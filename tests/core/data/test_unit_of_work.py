"""The one unit of work: commits once at the outermost end, rolls back on any error, and turns
a constraint's refusal into the rule's message."""
import pytest
from sqlalchemy import func, select

from brokerage.core.data.models import Locality
from brokerage.core.data.unit_of_work import Conflict, refused_as, unit_of_work
from brokerage.errors import RuleViolation
from brokerage.extensions import db


@pytest.fixture(autouse=True)
def _in_app(app):
    with app.app_context():
        yield


def _localities() -> int:
    return db.session.scalar(select(func.count()).select_from(Locality))


def test_outermost_unit_commits_what_its_block_wrote(app):
    before = _localities()
    with unit_of_work():
        db.session.add(Locality(name="Leeds", slug="leeds", ons_code="E08000035"))
    db.session.rollback()  # nothing left to roll back: it was committed
    assert _localities() == before + 1


def test_inner_unit_joins_the_outer_one_and_an_error_later_undoes_both(app):
    before = _localities()
    with pytest.raises(RuleViolation):
        with unit_of_work():
            with unit_of_work():
                db.session.add(Locality(name="Leeds", slug="leeds", ons_code="E08000035"))
            raise RuleViolation("changed my mind")
    assert _localities() == before


def test_constraint_refusal_becomes_the_rules_message_with_its_field(app):
    existing = db.session.scalars(select(Locality)).first()
    with pytest.raises(RuleViolation) as refused:
        with unit_of_work(conflict=Conflict("That locality already exists.", field="name")):
            db.session.add(Locality(name=existing.name, slug=existing.slug, ons_code=existing.ons_code))
    assert (refused.value.message, refused.value.field) == ("That locality already exists.", "name")
    assert db.session.scalar(select(func.count()).select_from(Locality).where(Locality.slug == existing.slug)) == 1


def test_refused_flush_in_a_savepoint_keeps_the_rest_of_the_unit(app):
    existing = db.session.scalars(select(Locality)).first()
    before = _localities()
    with unit_of_work():
        db.session.add(Locality(name="Leeds", slug="leeds", ons_code="E08000035"))
        with pytest.raises(RuleViolation, match="already"):
            with refused_as(Conflict("That locality already exists.")):
                db.session.add(Locality(name=existing.name, slug=existing.slug, ons_code=existing.ons_code))
    assert _localities() == before + 1


def test_constraint_refusal_without_a_message_is_not_hidden(app):
    from sqlalchemy.exc import IntegrityError
    existing = db.session.scalars(select(Locality)).first()
    with pytest.raises(IntegrityError):
        with unit_of_work():
            db.session.add(Locality(name=existing.name, slug=existing.slug, ons_code=existing.ons_code))

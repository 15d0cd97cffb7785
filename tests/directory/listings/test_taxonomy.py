"""The shipped activity taxonomy loads as a tree with stable Open Referral identifiers."""
import json
import uuid

from sqlalchemy import func, select

from brokerage.directory.models import Taxonomy, TaxonomyTerm
from brokerage.directory.seed import seed_directory_reference
from brokerage.directory.listings.taxonomy import TAXONOMY_FILE, load_taxonomy, stable_uuid, with_descendants
from brokerage.extensions import db


def term(code: str) -> TaxonomyTerm:
    return db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == code))


def test_categories_load_as_a_tree(app):
    with app.app_context():
        added = load_taxonomy()
        assert added == db.session.scalar(select(func.count()).select_from(TaxonomyTerm)) > 40
        assert term("choir").parent.code == "music"
        assert term("walking-football").parent.code == "sport"
        assert term("climbing").parent.code == "outdoor"
        assert term("arts").parent is None
        assert {child.code for child in term("arts").children} >= {"painting", "crafts"}


def test_loading_again_adds_nothing_and_keeps_identifiers(app):
    with app.app_context():
        load_taxonomy()
        before = {t.code: (t.id, t.uuid) for t in db.session.scalars(select(TaxonomyTerm))}
        assert load_taxonomy() == 0
        after = {t.code: (t.id, t.uuid) for t in db.session.scalars(select(TaxonomyTerm))}
    assert after == before


def test_changed_names_and_new_terms_are_picked_up(app, tmp_path):
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    with app.app_context():
        load_taxonomy()
        data["terms"][0]["name"] = "Art and making"
        data["terms"][0]["children"].append({"code": "mosaics", "name": "Mosaics", "description": "Tiles."})
        changed = tmp_path / "taxonomy.json"
        changed.write_text(json.dumps(data), encoding="utf-8")
        assert load_taxonomy(changed) == 1
        assert term("arts").name == "Art and making"
        assert term("mosaics").parent.code == "arts"


def test_identifiers_are_uuids_derived_from_the_codes(app):
    with app.app_context():
        load_taxonomy()
        taxonomy = db.session.scalar(select(Taxonomy))
        choir = term("choir")
        assert uuid.UUID(choir.uuid).version == 5
        assert choir.uuid == stable_uuid(taxonomy.code, "choir")
        assert taxonomy.uuid == stable_uuid(taxonomy.code)


def test_choosing_a_category_includes_everything_below_it(app):
    with app.app_context():
        load_taxonomy()
        sport = with_descendants({term("sport").id})
        assert term("walking-football").id in sport and term("sport").id in sport
        assert term("choir").id not in sport
        assert with_descendants({term("choir").id}) == {term("choir").id}


def test_directory_reference_data_is_seeded_together(app):
    with app.app_context():
        districts, categories = seed_directory_reference()
        assert districts > 100 and categories > 40
        assert seed_directory_reference() == (0, 0)

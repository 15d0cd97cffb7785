"""Partner pages over HTTP: the permission matrix, mass assignment, bad input and search."""
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.partners.organisations import services
from brokerage.partners.models import Partner, PartnerContact
from tests.conftest import page_text
from tests.partners.conftest import signed


@dataclass
class World:
    own: int
    other: int
    people: dict
    spare_contact_id: int


@pytest.fixture
def world(make_user, make_partner, link_contact, link_champion) -> World:
    own = make_partner("Reds in the Community", localities=("barnsley",))
    other = make_partner("Halifax Arts Café", localities=("calderdale",))
    people = {"member": make_user(Role.COLLECTIVE_MEMBER), "champion": make_user(Role.CHAMPION),
              "contact": make_user(Role.PARTNER_CONTACT), "coordinator": make_user(Role.COORDINATOR)}
    link_contact(people["contact"], own)
    link_champion(people["champion"], own)
    spare = make_user(Role.PARTNER_CONTACT)
    return World(own=own, other=other, people=people, spare_contact_id=spare.id)


def partner_form(locality_ids, **overrides) -> dict:
    return {"name": "Penistone Crafters", "type": "informal_group", "localities": [str(locality_ids["barnsley"])],
            "postcode": "s36 6ba", **overrides}


def action_request(name: str, world: World, locality_ids: dict):
    """(method, url, data) for each action in the matrix."""
    own, other = world.own, world.other
    edit = partner_form(locality_ids, name="Reds in the Community", description="Updated")
    other_edit = partner_form(locality_ids, name="Halifax Arts Café", description="Updated")
    contact = {"name": "Gemma Senior", "email": "gemma@example.org"}
    return {
        "list": ("GET", "/partners", None),
        "view own": ("GET", f"/partners/{own}", None),
        "view other": ("GET", f"/partners/{other}", None),
        "new form": ("GET", "/partners/new", None),
        "create": ("POST", "/partners/new", partner_form(locality_ids)),
        "edit own form": ("GET", f"/partners/{own}/edit", None),
        "update own": ("POST", f"/partners/{own}/edit", edit),
        "update other": ("POST", f"/partners/{other}/edit", other_edit),
        "agreement form": ("GET", f"/partners/{own}/agreement", None),
        "archive": ("POST", f"/partners/{own}/archive", {}),
        "restore": ("POST", f"/partners/{own}/restore", {}),
        "add contact own": ("POST", f"/partners/{own}/contacts/new", contact),
        "add contact other": ("POST", f"/partners/{other}/contacts/new", contact),
        "people page": ("GET", f"/partners/{own}/people", None),
        "link account": ("POST", f"/partners/{own}/accounts", {"user": str(world.spare_contact_id)}),
        "export": ("GET", "/partners/export.csv", None),
        "renewals": ("GET", "/partners/renewals", None),
        "champions": ("GET", "/champions", None),
        "champion profile": ("GET", f"/champions/{world.people['champion'].id}", None),
        "my champion profile": ("GET", "/champions/me", None),
    }[name]


ROLES = ["anonymous", "member", "champion", "contact", "coordinator"]
# action: expected outcome for anonymous, collective member, linked champion, linked partner contact, coordinator.
# "ok" = allowed (200, or a redirect after a successful post), "403" = forbidden, "login" = sent to sign in.
MATRIX = {
    "list":                ("login", "ok", "ok", "ok", "ok"),
    "view own":            ("login", "ok", "ok", "ok", "ok"),
    "view other":          ("login", "ok", "ok", "403", "ok"),
    "new form":            ("login", "403", "ok", "403", "ok"),
    "create":              ("login", "403", "ok", "403", "ok"),
    "edit own form":       ("login", "403", "ok", "ok", "ok"),
    "update own":          ("login", "403", "ok", "ok", "ok"),
    "update other":        ("login", "403", "403", "403", "ok"),
    "agreement form":      ("login", "403", "403", "403", "ok"),
    "archive":             ("login", "403", "403", "403", "ok"),
    "restore":             ("login", "403", "403", "403", "ok"),
    "add contact own":     ("login", "403", "ok", "ok", "ok"),
    "add contact other":   ("login", "403", "403", "403", "ok"),
    "people page":         ("login", "403", "403", "403", "ok"),
    "link account":        ("login", "403", "403", "403", "ok"),
    "export":              ("login", "403", "403", "403", "ok"),
    "renewals":            ("login", "403", "403", "403", "ok"),
    "champions":           ("login", "403", "403", "403", "ok"),
    "champion profile":    ("login", "403", "403", "403", "ok"),
    "my champion profile": ("login", "403", "ok", "403", "403"),
}
CASES = [(action, role, expected[ROLES.index(role)]) for action, expected in MATRIX.items() for role in ROLES]


def outcome(response) -> str:
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return "login"
    if response.status_code == 403:
        return "403"
    assert response.status_code in (200, 302), (response.status_code, page_text(response)[:500])
    return "ok"


@pytest.mark.parametrize("action, role, expected", CASES, ids=[f"{a}-{r}" for a, r, _ in CASES])
def test_permission_matrix(client, auth, world, locality_ids, action, role, expected):
    if role != "anonymous":
        auth.login(world.people[role])
    method, url, data = action_request(action, world, locality_ids)
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    assert outcome(response) == expected


def test_a_forbidden_post_changes_nothing(app, client, auth, world, locality_ids):
    auth.login(world.people["contact"])
    client.post(f"/partners/{world.other}/edit", data=partner_form(locality_ids, name="Hacked"))
    client.post(f"/partners/{world.other}/contacts/new", data={"name": "Intruder"})
    with app.app_context():
        assert services.get_partner(world.other).name == "Halifax Arts Café"
        assert db.session.scalar(select(func.count()).select_from(PartnerContact)) == 0


def test_partner_contact_cannot_set_fields_outside_the_form(app, client, auth, world, locality_ids):
    auth.login(world.people["contact"])
    response = client.post(f"/partners/{world.own}/edit", data=partner_form(
        locality_ids, name="Reds in the Community", description="Ours",
        archived_at="2026-01-01T00:00:00", signed_on="2026-01-01", expires_on="2030-01-01",
        insurance_expires_on="2030-01-01", safeguarding_reviewed_on="2026-01-01", created_by_id="999",
        id=str(world.other), name_key="hijack", is_staff="y"))
    assert response.status_code == 302
    with app.app_context():
        partner = services.get_partner(world.own)
        assert partner.description == "Ours"
        assert partner.archived_at is None and partner.agreement is None and partner.name_key != "hijack"
        assert services.get_partner(world.other).name == "Halifax Arts Café"


def test_a_champion_creates_only_a_prospective_partner_whatever_is_posted(app, client, auth, world, locality_ids):
    auth.login(world.people["champion"])
    client.post("/partners/new", data=partner_form(locality_ids, signed_on="2026-01-01", expires_on="2030-01-01",
                                                  archived_at="2026-01-01"))
    with app.app_context():
        partner = db.session.scalars(select(Partner).where(Partner.name == "Penistone Crafters")).one()
        assert partner.agreement is None and partner.archived_at is None


def test_registering_with_bad_input_shows_each_message_keeps_the_input_and_saves_nothing(app, client, coordinator,
                                                                                         locality_ids):
    response = client.post("/partners/new", data={
        "name": "Penistone Crafters", "type": "charity", "charity_number": "12AB", "company_number": "SC12",
        "postcode": "S36", "website": "javascript:alert(1)", "description": "<script>alert(1)</script>"})
    text, html = page_text(response), response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text
    for message in ("6 to 8 digits", "Companies House number", "Enter a real UK postcode",
                    "Enter a web address", "Choose at least one locality"):
        assert message in text
    for field in ("charity_number", "company_number", "postcode", "website", "localities"):
        assert f'href="#{field}"' in html and f'id="{field}-error"' in html
    assert 'value="Penistone Crafters"' in html and "<script>alert(1)" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Partner)) == 0


def test_a_duplicate_organisation_is_refused_with_a_link_to_the_existing_record(client, coordinator, make_partner,
                                                                                locality_ids):
    existing = make_partner("Reds in the Community", type="charity", charity_number="1120412")
    response = client.post("/partners/new", data=partner_form(locality_ids, name="Barnsley FC Community Trust",
                                                              type="charity", charity_number="1120412"))
    assert response.status_code == 400
    assert "Reds in the Community is already registered with this charity number" in page_text(response)
    assert f'href="/partners/{existing}"' in response.get_data(as_text=True)


def test_a_coordinator_onboards_a_partner_end_to_end(client, coordinator, locality_ids):
    response = client.post("/partners/new", data=partner_form(locality_ids, interests=["crafts"]))
    assert response.status_code == 302
    partner_url = response.headers["Location"]
    assert client.post(f"{partner_url}/contacts/new", data={"name": "Sheila Dyson", "role": "Organiser",
                                                            "phone": "0113 496 0111"}).status_code == 302
    page = page_text(client.get(partner_url))
    assert "Penistone Crafters" in page and "S36 6BA" in page
    assert "Sheila Dyson Main contact Organiser" in page
    assert "Status: Prospective" in page
    assert "Partner Penistone Crafters registered (Casey Coordinator)" in page


def test_contact_form_shows_bad_email_by_the_field(client, coordinator, make_partner):
    partner_id = make_partner()
    response = client.post(f"/partners/{partner_id}/contacts/new", data={"name": "Lee", "email": "lee@", "phone": "1"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Enter an email address in the right format" in text and "Enter a UK phone number" in text


def test_the_partner_page_has_no_placeholder_sections_for_features_not_built(client, coordinator, make_partner):
    partner_id = make_partner(agreement=signed())
    text = page_text(client.get(f"/partners/{partner_id}"))
    for absent in ("Activities", "Awards", "Hosted groups", "coming soon", "Coming soon"):
        assert absent not in text
    for present in ("Details", "Partnership agreement", "Contacts", "Champions", "Recent changes"):
        assert present in text


def test_the_list_searches_with_a_get_form_and_ignores_unknown_values(client, coordinator, make_partner):
    make_partner("Reds in the Community", interests=["sport"], agreement=signed())
    make_partner("Halifax Arts Café", localities=("calderdale",), interests=["arts"])
    response = client.get("/partners?locality=calderdale")
    text = page_text(response)
    assert "Halifax Arts Café" in text and "Reds in the Community" not in text
    assert 'href="/partners/export.csv?locality=calderdale"' in response.get_data(as_text=True)
    text = page_text(client.get("/partners?status=prospective&interest=arts&q=arts"))
    assert "1 partner" in text and "Halifax Arts Café" in text
    response = client.get("/partners?locality=atlantis&status=%27%3B--&type=nope&interest=x&q=" + "z" * 5000)
    assert response.status_code == 200


def test_archived_partners_leave_the_list_and_can_be_restored(client, coordinator, make_partner):
    partner_id = make_partner()
    assert client.post(f"/partners/{partner_id}/archive").status_code == 302
    assert "No partners match" in page_text(client.get("/partners"))
    assert 'tag--grey">Archived' in client.get("/partners?archived=y").get_data(as_text=True)
    client.post(f"/partners/{partner_id}/restore")
    assert "Reds in the Community" in page_text(client.get("/partners"))


def test_unknown_partners_are_not_found(client, coordinator):
    for url in ("/partners/999", "/partners/999/edit", "/partners/999/agreement", "/partners/999/people",
                "/champions/999"):
        assert client.get(url).status_code == 404


def test_partner_contact_sees_only_their_organisation_listed(client, auth, world):
    auth.login(world.people["contact"])
    text = page_text(client.get("/partners"))
    assert "Reds in the Community" in text and "Halifax Arts Café" not in text
    assert "Register a partner" not in text

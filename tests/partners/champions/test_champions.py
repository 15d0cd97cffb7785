"""Champion profiles, links to partners, and the suggested matches."""
import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.audit.models import AuditEvent
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.partners.champions import services as champions
from brokerage.partners.organisations import services
from brokerage.partners.champions.services import ChampionDetails, suggest_champions
from tests.conftest import page_text
from tests.partners.conftest import attached


@pytest.fixture
def champion_with(app, admin, make_user, locality_ids):
    """champion_with("Name", localities=(...), interests=[...]) -> the user (profile saved by a coordinator)."""
    def make(name, localities=(), interests=(), **flags):
        user = make_user(Role.CHAMPION, name=name)
        with app.app_context():
            champions.update_profile(actor=attached(admin), champion=attached(user), details=ChampionDetails(
                locality_ids=[locality_ids[slug] for slug in localities], interests=list(interests)), **flags)
        return user
    return make


def test_suggestions_rank_locality_then_shared_interests_then_fewest_links(app, champion_with, make_partner,
                                                                           link_champion):
    partner_id = make_partner("Reds in the Community", localities=("barnsley",), interests=["sport", "walking"])
    busy = champion_with("Bea Busy", localities=("barnsley",), interests=["sport", "walking"])
    for name in ("Other One", "Other Two"):
        link_champion(busy, make_partner(name, localities=("wakefield",)))
    champion_with("Fay Free", localities=("barnsley",), interests=["sport", "walking"])
    champion_with("Lou Local", localities=("barnsley",), interests=["music"])
    champion_with("Ian Interests", localities=("kirklees",), interests=["sport", "walking"])
    champion_with("Oona One", localities=("calderdale",), interests=["walking"])
    champion_with("Nobody Matching", localities=("wakefield",), interests=["music"])
    already = champion_with("Al Ready", localities=("barnsley",), interests=["sport"])
    link_champion(already, partner_id)
    with app.app_context():
        ranked = suggest_champions(services.get_partner(partner_id), limit=10)
        assert [s.profile.user.name for s in ranked] == ["Fay Free", "Bea Busy", "Lou Local", "Ian Interests", "Oona One"]
        assert ranked[1].link_count == 2
        assert ranked[0].shared_localities == ["Barnsley"] and ranked[0].shared_interests == ["sport", "walking"]


def test_suggestions_leave_out_deactivated_champions(app, admin, champion_with, make_partner):
    partner_id = make_partner(localities=("barnsley",))
    gone = champion_with("Gone Away", localities=("barnsley",))
    with app.app_context():
        from brokerage.accounts.services import set_active
        set_active(actor=attached(admin), user=attached(gone), active=False)
        assert suggest_champions(services.get_partner(partner_id)) == []


def test_a_champion_edits_their_own_profile_but_not_the_coordinator_only_flags(app, make_user, locality_ids):
    champion, other = make_user(Role.CHAMPION), make_user(Role.CHAMPION)
    with app.app_context():
        profile = champions.update_profile(actor=attached(champion), champion=attached(champion), details=ChampionDetails(
            locality_ids=[locality_ids["kirklees"]], interests=["music"], about="I sing."))
        assert [l.slug for l in profile.localities] == ["kirklees"] and profile.interests == ["music"]
        with pytest.raises(PermissionDenied):
            champions.update_profile(actor=attached(champion), champion=attached(champion),
                                     details=ChampionDetails(), is_staff=True)
        with pytest.raises(PermissionDenied):
            champions.update_profile(actor=attached(champion), champion=attached(other), details=ChampionDetails())


def test_a_coordinator_records_whether_a_champion_is_a_service_user_or_staff(app, admin, make_user):
    champion = make_user(Role.CHAMPION)
    with app.app_context():
        profile = champions.update_profile(actor=attached(admin), champion=attached(champion),
                                           details=ChampionDetails(), is_service_user=True, is_staff=False)
        assert profile.is_service_user and not profile.is_staff
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "champion.profile_updated")).one()
        assert event.object_id == champion.id and event.after["is_service_user"] is True


def test_linking_is_for_coordinators_and_for_champions_only(app, admin, make_user, make_partner):
    partner_id = make_partner()
    champion, member = make_user(Role.CHAMPION), make_user(Role.COLLECTIVE_MEMBER)
    with app.app_context():
        partner = services.get_partner(partner_id)
        with pytest.raises(PermissionDenied):
            champions.link_champion(actor=attached(champion), partner=partner, champion=attached(champion))
        with pytest.raises(RuleViolation, match="not a champion"):
            champions.link_champion(actor=attached(admin), partner=partner, champion=attached(member))
        champions.link_champion(actor=attached(admin), partner=partner, champion=attached(champion))
        with pytest.raises(RuleViolation, match="already linked"):
            champions.link_champion(actor=attached(admin), partner=partner, champion=attached(champion))
        assert [p.name for p in champions.partners_for_champion(attached(champion))] == ["Reds in the Community"]
        champions.unlink_champion(actor=attached(admin), partner=partner, champion=attached(champion))
        assert champions.champions_for_partner(partner) == []


def test_service_user_and_staff_flags_are_shown_to_coordinators_only(client, auth, admin, champion_with):
    champion = champion_with("Dee Armitage", localities=("barnsley",), is_service_user=True, is_staff=False)
    auth.login(champion)
    own_page = client.get("/champions/me")
    assert own_page.status_code == 200
    assert "Uses or has used" not in page_text(own_page) and "is_service_user" not in own_page.get_data(as_text=True)
    auth.logout()
    auth.login(admin)
    assert "Service user" in page_text(client.get("/champions"))
    assert "Uses or has used the Trust" in page_text(client.get(f"/champions/{champion.id}"))


def test_a_champion_cannot_set_the_flags_by_posting_them(client, app, auth, make_user, locality_ids):
    champion = auth.login_as(Role.CHAMPION)
    response = client.post("/champions/me", data={"localities": [str(locality_ids["wakefield"])],
                                                  "interests": ["walking"], "about": "Walks",
                                                  "is_staff": "y", "is_service_user": "y"})
    assert response.status_code == 302
    with app.app_context():
        profile = champions.profile_for(attached(champion))
        assert [l.slug for l in profile.localities] == ["wakefield"]
        assert not profile.is_staff and not profile.is_service_user


def test_coordinator_links_a_suggested_champion_from_the_partner_people_page(client, coordinator, champion_with,
                                                                            make_partner):
    partner_id = make_partner(localities=("barnsley",), interests=["sport"])
    dee = champion_with("Dee Armitage", localities=("barnsley",), interests=["sport"])
    page = page_text(client.get(f"/partners/{partner_id}/people"))
    assert "Suggested champions" in page and "Dee Armitage Barnsley Sport 0" in page
    response = client.post(f"/partners/{partner_id}/champions", data={"champion": str(dee.id)})
    assert response.status_code == 302
    assert "Dee Armitage" in page_text(client.get(f"/partners/{partner_id}"))
    refused = client.post(f"/partners/{partner_id}/champions", data={"champion": str(dee.id)})
    assert refused.status_code == 400 and "already linked" in page_text(refused)

"""Champions matched with groups both ways: a group's page suggests champions in its locality (fewest
links first) with a one-click link for coordinators; a champion's own page suggests groups in their
localities (fewest champions first) with "I'd like to help", which a coordinator confirms."""
import pytest
from sqlalchemy import select

from brokerage.accounts.models import User
from brokerage.core.data.models import Locality
from brokerage.core.values.roles import Role
from brokerage.errors import PermissionDenied, RuleViolation
from brokerage.extensions import db
from brokerage.groups import services
from brokerage.groups.models import Group, GroupHelpOffer
from brokerage.groups.pages import champions_to_suggest, groups_to_suggest
from brokerage.partners.champions import services as champions
from brokerage.partners.champions.services import ChampionDetails
from tests.conftest import page_text


def _local_champion(make_user, app, name: str, locality: str = "wakefield") -> User:
    user = make_user(Role.CHAMPION, name=name)
    with app.app_context():
        champion = db.session.get(User, user.id)
        place = db.session.scalar(select(Locality).where(Locality.slug == locality))
        champions.update_profile(actor=champion, champion=champion, details=ChampionDetails(
            locality_ids=[place.id], interests=[], about=""))
    return user


@pytest.fixture
def local(app, make_user, forming_group):
    """Two champions working in Wakefield, one of them already supporting another group; one in Barnsley."""
    busy = _local_champion(make_user, app, "Busy Bee")
    free = _local_champion(make_user, app, "Free Fox")
    far = _local_champion(make_user, app, "Far Away", "barnsley")
    with app.app_context():
        boss = db.session.get(User, make_user(Role.COORDINATOR).id)
        from tests.groups.conftest import Builder
        other, _ = Builder(make_user).group(actor=boss, name="Other Walkers")
        services.assign_champion(actor=boss, group=other, user_id=busy.id)
    return busy, free, far


def test_a_groups_page_suggests_local_champions_with_the_fewest_links_first(app, forming_group, local):
    busy, free, far = local
    with app.app_context():
        group = db.session.get(Group, forming_group[0])
        names = [match.user.name for match in champions_to_suggest(group)]
    assert names == ["Free Fox", "Busy Bee"]


def test_a_champion_offers_help_and_a_coordinator_confirms_it_in_one_click(client, auth, app, forming_group, local):
    group_id = forming_group[0]
    busy, free, far = local
    auth.login(free)
    page = page_text(client.get("/champions/me"))
    assert "Peer-led groups you could help" in page and "Wakefield Walkers" in page
    response = client.post(f"/groups/{group_id}/help", follow_redirects=True)
    assert "a coordinator will confirm your help with Wakefield Walkers" in page_text(response)
    assert "You have offered to help" in page_text(client.get("/champions/me"))
    auth.logout()
    auth.login_as(Role.COORDINATOR)
    page = page_text(client.get(f"/groups/{group_id}"))
    assert "Champions who would like to help Free Fox" in page
    client.post(f"/groups/{group_id}/champions", data={"user_id": free.id})
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert free.id in {row.user_id for row in group.champions}
        assert db.session.scalars(select(GroupHelpOffer)).all() == []


def test_offering_help_is_for_champions_only_and_once(app, make_user, forming_group, local):
    busy, free, far = local
    contact = make_user(Role.PARTNER_CONTACT)
    with app.app_context():
        group = db.session.get(Group, forming_group[0])
        with pytest.raises(PermissionDenied):
            services.offer_help(actor=db.session.get(User, contact.id), group=group)
        services.offer_help(actor=db.session.get(User, far.id), group=group)
        with pytest.raises(RuleViolation):
            services.offer_help(actor=db.session.get(User, far.id), group=group)
        assert [m.group.name for m in groups_to_suggest(db.session.get(User, far.id))] == []


def test_the_help_button_answers_only_champions(client, auth, forming_group):
    auth.login_as(Role.PARTNER_CONTACT)
    assert client.post(f"/groups/{forming_group[0]}/help").status_code == 403
    auth.logout()
    auth.login_as(Role.CHAMPION)
    assert client.post("/groups/999999/help").status_code == 404


def test_a_champion_is_offered_partners_and_a_coordinator_confirms_their_help_by_linking(
        client, auth, app, make_user):
    from brokerage.partners.organisations.services import PartnerDetails, create_partner
    from brokerage.partners.champions.services import help_offers_for, partners_for_champion, suggest_partners
    coordinator = make_user(Role.COORDINATOR)
    champion = _local_champion(make_user, app, "Free Fox")
    with app.app_context():
        boss = db.session.get(User, coordinator.id)
        place = db.session.scalar(select(Locality).where(Locality.slug == "wakefield"))
        busy = create_partner(actor=boss, details=PartnerDetails(name="Busy Partner", type="informal_group",
                                                                 locality_ids=[place.id]))
        quiet = create_partner(actor=boss, details=PartnerDetails(name="Quiet Partner", type="informal_group",
                                                                  locality_ids=[place.id]))
        champions.link_champion(actor=boss, partner=busy, champion=db.session.get(User, make_user(Role.CHAMPION).id))
        names = [m.partner.name for m in suggest_partners(db.session.get(User, champion.id))]
        quiet_id = quiet.id
    assert names[:2] == ["Quiet Partner", "Busy Partner"]
    auth.login(champion)
    assert "Partners you could help" in page_text(client.get("/champions/me"))
    page = page_text(client.post(f"/champions/partners/{quiet_id}/help", follow_redirects=True))
    assert "a coordinator will confirm your help with Quiet Partner" in page
    assert client.post("/champions/partners/999999/help").status_code == 404
    auth.logout()
    auth.login(coordinator)
    assert "Champions who would like to help Free Fox" in page_text(client.get(f"/partners/{quiet_id}/people"))
    client.post(f"/partners/{quiet_id}/champions", data={"champion": champion.id})
    with app.app_context():
        partner = db.session.get(type(busy), quiet_id)
        assert [p.name for p in partners_for_champion(db.session.get(User, champion.id))] == ["Quiet Partner"]
        assert help_offers_for(partner) == []

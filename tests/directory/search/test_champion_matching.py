"""Issue 17: an activity's page suggests champions for its provider to coordinators (one-click link)
and lets a champion say "I'd like to help", which a coordinator confirms; nobody else sees it."""
from sqlalchemy import select

from brokerage.core.data.models import Locality
from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.partners.champions import services as champions
from brokerage.partners.champions.services import ChampionDetails, help_offers_for, partners_for_champion
from tests.conftest import page_text


def _barnsley_champion(directory, name):
    user = directory.user(Role.CHAMPION, name=name)
    place = db.session.scalar(select(Locality).where(Locality.slug == "barnsley"))
    champions.update_profile(actor=user, champion=user, details=ChampionDetails(locality_ids=[place.id]))
    db.session.commit()
    return user


def test_a_coordinator_links_a_suggested_champion_from_the_activity_page(client, auth, directory, listed):
    champion = _barnsley_champion(directory, "Free Fox")
    coordinator = directory.coordinator
    db.session.commit()
    auth.login(coordinator)
    page = page_text(client.get(f"/activities/{listed}"))
    assert "Champions for Reds in the Community" in page and "Free Fox" in page
    partner = directory.partner()
    client.post(f"/partners/{partner.id}/champions", data={"champion": champion.id})
    db.session.expire_all()
    assert [p.name for p in partners_for_champion(champion)] == ["Reds in the Community"]


def test_a_champion_offers_help_from_the_activity_page_and_others_see_nothing(client, auth, directory, listed):
    champion = _barnsley_champion(directory, "Free Fox")
    member = directory.user(Role.COLLECTIVE_MEMBER)
    db.session.commit()
    assert "Champions for" not in page_text(client.get(f"/activities/{listed}"))
    auth.login(member)
    assert "Champions for" not in page_text(client.get(f"/activities/{listed}"))
    auth.logout()
    auth.login(champion)
    assert "I'd like to help Reds in the Community" in page_text(client.get(f"/activities/{listed}"))
    partner_id = directory.partner().id
    client.post(f"/champions/partners/{partner_id}/help")
    assert "a coordinator confirms offers" in page_text(client.get(f"/activities/{listed}"))
    db.session.expire_all()
    assert [offer.user_id for offer in help_offers_for(directory.partner())] == [champion.id]


def test_a_champions_page_suggests_local_activities_whose_organisers_they_do_not_help(client, auth, directory, listed):
    champion = _barnsley_champion(directory, "Free Fox")
    auth.login(champion)
    page = page_text(client.get("/champions/me"))
    assert "Activities you could help" in page and "run by Reds in the Community: 0 champions" in page
    client.post(f"/champions/partners/{directory.partner().id}/help")
    assert "Activities you could help" not in page_text(client.get("/champions/me"))

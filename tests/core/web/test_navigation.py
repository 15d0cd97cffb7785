"""The menu: each role's short menu, grouped by what they came to do (public pages; your work;
running the platform), the pages a role never uses left out, and every page named once."""
import re

import pytest

from brokerage.core.values.roles import Role
from brokerage.core.web.context import NAVIGATION, PLATFORM, PUBLIC, WORK


def menu(client) -> dict[str, list[str]]:
    """The main menu's sections, by their label, with each section's link labels."""
    body = client.get("/").get_data(as_text=True)
    nav = body.split('aria-label="Main"')[1].split("</nav>")[0]
    sections = re.findall(r'<ul class="site-nav__section" aria-label="([^"]+)">(.*?)</ul>', nav, re.S)
    return {label: re.findall(r">([^<>]+)</a>", links) for label, links in sections}


def test_a_visitor_sees_only_the_public_pages(client):
    assert menu(client) == {PUBLIC: ["Home", "Find an activity", "Shortlist", "Our impact"]}


def test_a_coordinator_runs_the_platform_from_its_own_section_and_sees_impact_once(client, auth):
    auth.login(auth.make_user(Role.COORDINATOR))
    sections = menu(client)
    assert list(sections) == [PUBLIC, WORK, PLATFORM]
    links = [label for labels in sections.values() for label in labels]
    assert "Impact reports" in links and "Our impact" not in links and "Shortlist" not in links
    assert {"People", "Audit trail", "Votes", "Renewals"} <= set(sections[PLATFORM])
    assert len(links) <= 15


@pytest.mark.parametrize("role, absent", [(Role.COLLECTIVE_MEMBER, {"Votes", "People", "Your bids", "Groups"}),
                                          (Role.PARTNER_CONTACT, {"Collectives", "Bids", "Votes", "Shortlist"}),
                                          (Role.CHAMPION, {"Bids", "Votes", "People", "Your bids"})])
def test_each_role_sees_a_short_menu_without_the_pages_it_never_uses(client, auth, role, absent):
    auth.login(auth.make_user(role))
    sections = menu(client)
    assert PLATFORM not in sections
    links = [label for labels in sections.values() for label in labels]
    assert not absent & set(links) and len(links) <= 10


def test_every_page_is_named_once_and_every_row_names_a_known_section():
    names = {}
    for section, label, endpoint, _roles in NAVIGATION:
        assert section in (PUBLIC, WORK, PLATFORM)
        names.setdefault(endpoint, set()).add(label)
    assert all(len(labels) == 1 for labels in names.values())
    labels = [label for _section, label, _endpoint, _roles in NAVIGATION]
    assert len({label for label in labels}) == len(set(names))


def test_a_group_organiser_sees_their_group_and_nothing_of_the_platform_they_cannot_open(client, auth):
    auth.login(auth.make_user(Role.GROUP_ORGANISER))
    links = [label for labels in menu(client).values() for label in labels]
    assert "Your group" in links
    assert not {"Partners", "Collectives", "Bids", "Groups", "Your activities", "Wellbeing"} & set(links)

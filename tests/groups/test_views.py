"""Group pages: starting a group, the builder's questions, meetings, printing, comparing, the checklist."""
import html

from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.core.data.models import Locality
from brokerage.extensions import db
from tests.conftest import page_text as raw_page_text


def page_text(response) -> str:
    return html.unescape(raw_page_text(response))


def test_champion_starts_a_group_and_supports_it(client, auth, app, now_fixed):
    auth.login_as(Role.CHAMPION)
    with app.app_context():
        wakefield = db.session.scalar(select(Locality.id).where(Locality.slug == "wakefield"))
    response = client.post("/groups/new", data={
        "name": "Wakefield Walkers", "aims": "Walking for wellbeing.", "activity": "A weekly walk.",
        "locality_id": str(wakefield), "meeting_place": "12 Acacia Avenue", "meeting_place_private": "y"})
    assert response.status_code == 302
    page = page_text(client.get(response.headers["Location"].replace("/people", "")))
    assert "Wakefield Walkers" in page and "Forming" in page and "Private address" in page
    assert "0 of 7 done" in page
    assert "Wakefield Walkers" in page_text(client.get("/groups/"))


def test_starting_a_group_without_a_name_says_what_is_missing_and_keeps_input(client, auth):
    auth.login_as(Role.CHAMPION)
    response = client.post("/groups/new", data={"name": "", "aims": "Walking.", "activity": "",
                                                "locality_id": "0", "meeting_place": "Library"})
    text = page_text(response)
    assert response.status_code == 200
    assert "Enter the group's name." in text and "Describe what the group does." in text
    assert "Library" in response.get_data(as_text=True)


def test_question_pages_follow_one_another_and_refuse_quorum_of_one_with_the_reason(client, auth, forming_group):
    group_id, champion, _ = forming_group
    auth.login(champion)
    first = client.post(f"/groups/{group_id}/constitution/questions/name", data={"name": "Wakefield Walkers"})
    assert first.headers["Location"].endswith(f"/groups/{group_id}/constitution/questions/aims")
    response = client.post(f"/groups/{group_id}/constitution/questions/quorum",
                           data={"quorum_minimum": "1", "quorum_fraction": "3"})
    text = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in text and "A quorum of 1 would let one person make decisions" in text
    assert 'value="1"' in response.get_data(as_text=True)
    assert "Question 6 of 11" in text


def test_the_builder_offers_only_lawful_choices_and_states_the_rule(client, auth, forming_group):
    group_id, champion, _ = forming_group
    auth.login(champion)
    dissolution = client.get(f"/groups/{group_id}/constitution/questions/dissolution")
    assert "Shared between the members" not in page_text(dissolution)
    assert "never to the members" in page_text(dissolution)
    amendments = client.get(f"/groups/{group_id}/constitution/questions/amendments")
    assert "simple majority" not in page_text(amendments) and "at least two-thirds" in page_text(amendments)
    last = client.post(f"/groups/{group_id}/constitution/questions/dissolution",
                       data={"dissolution_recipient": "Wakefield Mind"})
    assert last.headers["Location"].endswith(f"/groups/{group_id}/constitution/draft")


def test_a_four_person_group_is_warned_at_the_quorum_question_and_offered_a_quorum_it_can_meet(
        client, auth, build):
    group, champion = build.group()
    build.members(group, champion, 4)
    group_id = group.id
    auth.login(champion)
    response = client.get(f"/groups/{group_id}/constitution/questions/quorum")
    assert "4 members, fewer than the quorum of 5" in page_text(response)
    assert 'value="3"' in response.get_data(as_text=True)
    client.post(f"/groups/{group_id}/constitution/questions/quorum", data={"quorum_minimum": "3", "quorum_fraction": "3"})
    assert "fewer than the quorum" not in page_text(client.get(f"/groups/{group_id}/constitution/questions/quorum"))


def founding_data(member_ids, **changes) -> dict:
    data = {"held_on": "2026-06-01", "attendee_ids": [str(i) for i in member_ids],
            "proposer_id": str(member_ids[0]), "seconder_id": str(member_ids[1]),
            "votes_for": "5", "votes_against": "1", "votes_abstain": "0"}
    return {**data, **changes}


def test_founding_meeting_form_adopts_and_shows_the_printable_constitution(client, auth, forming_group):
    group_id, champion, member_ids = forming_group
    auth.login(champion)
    response = client.post(f"/groups/{group_id}/meetings/founding", data=founding_data(member_ids))
    assert response.headers["Location"].endswith(f"/groups/{group_id}/constitution/versions/1")
    page = client.get(response.headers["Location"])
    text = page_text(page)
    for title in ("1. Name", "8. Committee", "10. Finance", "15. Amendments", "16. Dissolution", "17. Adoption"):
        assert title in text
    assert "Version 1, adopted on 1 June 2026" in text and "Chair Signature" in text
    assert "site.css" in page.get_data(as_text=True)  # print styles live in the stylesheet, not inline


def test_founding_meeting_in_the_future_is_refused_on_the_page(client, auth, forming_group):
    group_id, champion, member_ids = forming_group
    auth.login(champion)
    text = page_text(client.post(f"/groups/{group_id}/meetings/founding",
                                 data=founding_data(member_ids, held_on="2026-07-01")))
    assert "cannot be recorded as held on a date in the future" in text


def test_votes_exceeding_members_present_are_refused_on_the_page(client, auth, forming_group):
    group_id, champion, member_ids = forming_group
    auth.login(champion)
    text = page_text(client.post(f"/groups/{group_id}/meetings/founding",
                                 data=founding_data(member_ids[:3], votes_for="3", votes_against="1")))
    assert "more votes than the 3 members present" in text


def test_comparison_page_labels_removed_and_added_text(client, auth, constituted_group, app):
    group_id, champion, member_ids = constituted_group
    auth.login(champion)
    client.post(f"/groups/{group_id}/constitution/questions/year-end", data={"year_end_month": "12"})
    response = client.post(f"/groups/{group_id}/meetings/amendment", data={
        **founding_data(member_ids, held_on="2026-06-14", votes_for="6", votes_against="0"), "kind": "special",
        "notice_given_on": "2026-05-22"})
    assert response.status_code == 302, page_text(response)
    assert response.headers["Location"].endswith(f"/groups/{group_id}/constitution/compare?old=1&new=2")
    text = page_text(client.get(response.headers["Location"]))
    assert "Clause 10: Finance" in text
    assert "Text removed" in text and "Removed: " in text and "last day of March" in text
    assert "Text added" in text and "Added: " in text and "last day of December" in text


def test_amendment_with_too_little_notice_is_refused_on_the_page(client, auth, constituted_group):
    group_id, champion, member_ids = constituted_group
    auth.login(champion)
    client.post(f"/groups/{group_id}/constitution/questions/year-end", data={"year_end_month": "12"})
    text = page_text(client.post(f"/groups/{group_id}/meetings/amendment", data={
        **founding_data(member_ids, held_on="2026-06-14", votes_for="6", votes_against="0"), "kind": "special",
        "notice_given_on": "2026-06-01"}))
    assert "needs 21 days' notice" in text and "members had 13" in text


def test_bank_account_name_mismatch_is_shown_next_to_the_field(client, auth, constituted_group):
    group_id, champion, _ = constituted_group
    auth.login(champion)
    response = client.post(f"/groups/{group_id}/bank", data={"status": "open", "account_name": "Wakefield walkers",
                                                              "last4": "4821"})
    text = page_text(response)
    assert "exactly the constitution's name" in text and 'value="Wakefield walkers"' in response.get_data(as_text=True)


def test_people_page_adds_a_member_and_saves_officers(client, auth, forming_group, app):
    group_id, champion, member_ids = forming_group
    auth.login(champion)
    response = client.post(f"/groups/{group_id}/people/add", data={"name": "Zara", "consent_given": "y",
                                                                   "consent_on": "2026-06-10", "contact": "07700 900123"})
    assert response.status_code == 302
    client.post(f"/groups/{group_id}/people/officers", data={"chair": str(member_ids[0]), "secretary": "0",
                                                             "treasurer": "0", "welfare_lead": "0"})
    text = page_text(client.get(f"/groups/{group_id}/people"))
    assert "Zara" in text and "07700 900123" in text and "Chair, Committee" in text


def test_people_page_refuses_one_person_in_every_office_next_to_the_office(client, auth, forming_group):
    group_id, champion, member_ids = forming_group
    auth.login(champion)
    response = client.post(f"/groups/{group_id}/people/officers", data={
        "chair": str(member_ids[0]), "secretary": str(member_ids[0]), "treasurer": str(member_ids[0]),
        "welfare_lead": "0"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "three different people" in page_text(response)
    assert 'id="secretary-error"' in body or 'href="#secretary"' in body


def test_people_page_refuses_contact_without_consent(client, auth, forming_group):
    group_id, champion, _ = forming_group
    auth.login(champion)
    text = page_text(client.post(f"/groups/{group_id}/people/add", data={"name": "Zara", "contact": "07700 900123"}))
    assert "Only keep contact details if the person has agreed" in text


def test_unknown_group_is_404(client, auth):
    auth.login_as(Role.COORDINATOR)
    assert client.get("/groups/999").status_code == 404
    assert client.get("/groups/999/constitution/versions/1").status_code == 404


def test_dashboard_and_navigation_offer_groups_to_champions(client, auth):
    auth.login_as(Role.CHAMPION)
    text = page_text(client.get("/dashboard"))
    assert "Groups you support" in text
    assert 'href="/groups/"' in client.get("/dashboard").get_data(as_text=True)


def test_every_state_changing_group_route_refuses_a_missing_csrf_token(client, auth, app, constituted_group):
    group_id, _, _ = constituted_group
    auth.login_as(Role.COORDINATOR)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("groups.") and "POST" in rule.methods]
    assert len(rules) >= 15
    for rule in rules:
        path = rule.rule.replace("<int:group_id>", str(group_id)).replace("<int:relationship_id>", "1")
        path = path.replace("<int:hosting_id>", "1").replace("<int:expense_id>", "1")
        path = path.replace("<slug>", "quorum")
        assert client.post(path, data={}, csrf=False).status_code == 400, path


def test_every_group_page_renders_for_the_demo_groups(client, auth, app, now_fixed):
    from brokerage.groups.constitution.rules import QUESTIONS
    from brokerage.groups.models import Group
    from brokerage.groups.seed import seed_groups
    from brokerage.partners.seed import seed_partners
    from brokerage.seeding import SEED_DIR, seed_demo_users
    with app.app_context():
        seed_demo_users()
        seed_partners(SEED_DIR)
        seed_groups(SEED_DIR)
        group_ids = list(db.session.scalars(select(Group.id).order_by(Group.name)))  # Walkers, then Stitchers
    auth.login_as(Role.COORDINATOR)
    assert client.get("/groups/").status_code == 200
    for group_id in group_ids:
        paths = ["", "/edit", "/people", "/bank", "/safeguarding", "/close", "/constitution", "/constitution/draft",
                 "/meetings/founding", "/meetings/annual", "/meetings/amendment",
                 *[f"/constitution/questions/{question.slug}" for question in QUESTIONS]]
        for path in paths:
            assert client.get(f"/groups/{group_id}{path}").status_code == 200, path
    walkers = page_text(client.get(f"/groups/{group_ids[0]}"))
    assert "Hosted by a partner" in walkers and "5 of 7 done" in walkers
    for path in ["/hostings/1", "/hostings/1/decide", "/hostings/1/money", "/hostings/1/expenses/new",
                 "/hostings/1/graduate", "/attention", f"/{group_ids[0]}/hosting/apply"]:
        assert client.get(f"/groups{path}").status_code == 200, path
    assert client.get(f"/groups/{group_ids[0]}/constitution/versions/1").status_code == 200
    assert client.get(f"/groups/{group_ids[0]}/constitution/compare?old=1&new=1").status_code == 200


def test_group_list_queries_do_not_grow_with_the_number_of_groups(client, auth, app, make_user, count_queries,
                                                                   now_fixed):
    from brokerage.accounts.models import User
    from tests.groups.conftest import Builder
    coordinator = auth.login_as(Role.COORDINATOR)

    def add_groups(count: int) -> int:
        builder, actor = Builder(make_user), db.session.get(User, coordinator.id)
        for number in range(count):  # in count_queries' app context, which the requests share
            group, _ = builder.group(actor=actor, name=f"Group {count}-{number}")
            builder.adopt(group, actor, builder.members(group, actor, 5))
        with count_queries() as counter:
            assert client.get("/groups/").status_code == 200
        return counter.count
    assert add_groups(1) == add_groups(4)

"""Wellbeing pages: entry on a participant's behalf, the one-time link, results, CSV and who may see them."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from brokerage.core.values.roles import Role
from brokerage.extensions import db
from brokerage.outcomes.measures import links
from brokerage.outcomes.measures.models import OutcomeParticipant, WellbeingMeasure

from ...conftest import page_text
from ..conftest import NOW

ITEMS = {f"item_{number}": "3" for number in range(1, 8)}


@pytest.fixture
def now(fixed_now):
    fixed_now(NOW)
    return fixed_now


@pytest.fixture
def project(outcomes, now):
    activity_id = outcomes.project.id
    db.session.commit()
    return activity_id


@pytest.fixture
def participant(outcomes, project):
    made = outcomes.participant()
    values = made.id, made.code
    db.session.commit()  # and touch nothing after it: SQLite would hold a write lock for the next read
    return values


def _measure_form(timepoint="baseline", measured_on="2026-01-12", **items):
    return {"timepoint": timepoint, "measured_on": measured_on, **ITEMS, **items}


def test_a_coordinator_adds_a_participant_and_sees_the_code(client, coordinator, project):
    response = client.post(f"/wellbeing-measures/projects/{project}/participants", follow_redirects=True)
    code = db.session.scalar(select(OutcomeParticipant.code))
    assert f"New participant code: {code}" in page_text(response)
    assert "Walking football Reds in the Community 1 Results" in page_text(client.get("/wellbeing-measures"))


def test_a_linked_champion_records_a_baseline_on_the_participants_behalf(client, auth, outcomes, participant):
    participant_id, code = participant
    champion = outcomes.champion_for(outcomes.project.partner)
    db.session.commit()
    auth.login(champion)
    assert "Wellbeing" in page_text(client.get("/dashboard"))
    form = client.get(f"/wellbeing-measures/participants/{participant_id}/measures/new")
    assert "Statement 1" in page_text(form) and "1 (lowest)" in page_text(form)
    assert "wording of the statements is licensed" in page_text(form)
    response = client.post(f"/wellbeing-measures/participants/{participant_id}/measures/new", data=_measure_form(),
                           follow_redirects=True)
    assert f"The measure for {code} is saved." in page_text(response)
    assert db.session.scalar(select(WellbeingMeasure.raw_score)) == 21


def test_the_licensed_wording_is_shown_when_configured(app, client, coordinator, participant):
    app.config["SWEMWBS_ITEMS"] = [f"Configured wording {number}" for number in range(1, 8)]
    app.config["SWEMWBS_CHOICES"] = ["Never", "Rarely", "Sometimes", "Often", "Always"]
    text = page_text(client.get(f"/wellbeing-measures/participants/{participant[0]}/measures/new"))
    assert "Configured wording 7" in text and "Rarely" in text
    assert "Statement 1" not in text and "wording of the statements is licensed" not in text


@pytest.mark.parametrize("changes, message", [
    ({"item_4": ""}, "Choose an answer for statement 4."),
    ({"item_2": "9"}, "The answer for statement 2 must be from 1 to 5."),
    ({"item_6": "many"}, "Choose an answer for statement 6."),
    ({"measured_on": "2026-02-30"}, "Enter a real date, for example 2026-03-27."),
    ({"timepoint": "someday"}, "Not a valid choice."),
])
def test_bad_answers_get_a_message_by_the_field_and_nothing_is_saved(client, coordinator, participant, changes,
                                                                     message):
    response = client.post(f"/wellbeing-measures/participants/{participant[0]}/measures/new",
                           data=_measure_form(**changes))
    assert response.status_code == 200
    assert "There is a problem" in page_text(response) and message in page_text(response)
    assert db.session.scalar(select(WellbeingMeasure)) is None


def test_a_follow_up_before_the_baseline_is_refused_on_the_form(client, coordinator, participant):
    url = f"/wellbeing-measures/participants/{participant[0]}/measures/new"
    client.post(url, data=_measure_form(measured_on="2026-03-01"))
    response = client.post(url, data=_measure_form(timepoint="end", measured_on="2026-02-01"))
    assert "A follow-up cannot be dated before the baseline (1 March 2026)." in page_text(response)
    assert 'value="2026-02-01"' in response.get_data(as_text=True)  # the input is kept


def test_a_duplicate_timepoint_is_refused_on_the_form(client, coordinator, participant):
    url = f"/wellbeing-measures/participants/{participant[0]}/measures/new"
    client.post(url, data=_measure_form())
    response = client.post(url, data=_measure_form(measured_on="2026-01-13"))
    assert f"Participant {participant[1]} already has a baseline" in page_text(response)


@pytest.mark.parametrize("roles", [(Role.COLLECTIVE_MEMBER,), (Role.PARTNER_CONTACT,)])
def test_people_without_a_part_in_the_project_are_forbidden(client, auth, participant, project, roles):
    auth.login_as(*roles)
    for url in (f"/wellbeing-measures/projects/{project}", f"/wellbeing-measures/projects/{project}/results",
                f"/wellbeing-measures/participants/{participant[0]}/measures/new",
                f"/wellbeing-measures/participants/{participant[0]}/links"):
        assert client.get(url).status_code == 403
    assert client.post(f"/wellbeing-measures/projects/{project}/participants").status_code == 403


def test_signed_out_people_are_sent_to_sign_in_and_unknown_projects_are_404(client, coordinator, project):
    assert client.get("/wellbeing-measures/projects/999").status_code == 404
    assert client.get("/wellbeing-measures/participants/999/measures/new").status_code == 404
    client.post("/logout")
    assert client.get(f"/wellbeing-measures/projects/{project}").status_code == 302


def test_a_participant_answers_through_a_one_time_link_without_an_account(client, coordinator, participant):
    response = client.post(f"/wellbeing-measures/participants/{participant[0]}/links", data={"timepoint": "baseline"})
    url = re.search(r'value="http://localhost(/wellbeing/[^"]+)"', response.get_data(as_text=True)).group(1)
    client.post("/logout")
    form = client.get(url)
    assert form.status_code == 200 and "How you have been feeling" in page_text(form)
    assert form.headers["Cache-Control"] == "no-store"
    refused = client.post(url, data={**ITEMS, "item_7": ""})
    assert "Choose an answer for statement 7." in page_text(refused)
    thanks = client.post(url, data=ITEMS, follow_redirects=True)
    assert "Your answers have been sent." in page_text(thanks)
    measure = db.session.scalar(select(WellbeingMeasure))
    assert measure.entered_by == "participant" and measure.measured_on == date(2026, 6, 15)
    again = client.get(url)
    assert again.status_code == 410 and "already been used" in page_text(again)


def test_an_expired_or_unknown_link_gets_a_clear_page(client, outcomes, participant, now):
    created = links.create_link(actor=outcomes.coordinator, participant=db.session.get(OutcomeParticipant,
                                participant[0]), timepoint="baseline", now=NOW)
    db.session.commit()
    now(NOW + timedelta(days=15))
    assert "has expired" in page_text(client.get(f"/wellbeing/{created.token}"))
    assert "could not find this link" in page_text(client.get("/wellbeing/nonsense"))


def _record_pairs(outcomes, count):
    for _ in range(count):
        made = outcomes.participant()
        outcomes.measure(made, on=date(2026, 1, 5))
        outcomes.measure(made, timepoint="end", on=date(2026, 6, 1), items=(5, 4, 3, 3, 3, 3, 3))
    db.session.commit()


def test_results_from_few_pairs_are_not_shown(client, coordinator, outcomes, project):
    _record_pairs(outcomes, 4)
    text = page_text(client.get(f"/wellbeing-measures/projects/{project}/results"))
    assert "Mean change Not shown (small numbers)" in text and "<svg" not in text


def test_results_show_the_mean_change_with_an_svg_chart_and_text_alternative(client, coordinator, outcomes,
                                                                             project):
    _record_pairs(outcomes, 5)
    response = client.get(f"/wellbeing-measures/projects/{project}/results")
    body, text = response.get_data(as_text=True), page_text(response)
    assert "Mean change +2.29 points" in text and "Improved 100%" in text  # raw 21 -> 24: 19.25 -> 21.54
    assert "<svg" in body and "<figcaption>" in body and "style=" not in body and "<script>" not in body
    assert "Mean wellbeing score at baseline 19.25 and at follow-up 21.54" in text


def test_the_csv_of_item_scores_is_for_coordinators(client, auth, coordinator, outcomes, project):
    _record_pairs(outcomes, 1)
    response = client.get(f"/wellbeing-measures/projects/{project}/item-scores.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).count("\n") == 3
    client.post("/logout")
    auth.login_as(Role.CHAMPION)
    assert client.get(f"/wellbeing-measures/projects/{project}/item-scores.csv").status_code == 403


def test_the_project_page_lists_codes_with_the_dates_recorded(client, coordinator, participant, project):
    client.post(f"/wellbeing-measures/participants/{participant[0]}/measures/new", data=_measure_form())
    text = page_text(client.get(f"/wellbeing-measures/projects/{project}"))
    assert f"{participant[1]} 12 January 2026 Not yet Not yet" in text


def test_without_licensed_wording_the_participant_is_pointed_to_the_paper_questionnaire(client, outcomes,
                                                                                      participant):
    created = links.create_link(actor=outcomes.coordinator, participant=db.session.get(OutcomeParticipant,
                                participant[0]), timepoint="baseline", now=NOW)
    db.session.commit()
    text = page_text(client.get(f"/wellbeing/{created.token}"))
    assert "Statement 7" in text and "paper questionnaire your group gave you" in text

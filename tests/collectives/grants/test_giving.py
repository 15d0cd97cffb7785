"""GET /api/v1/grants: awarded grants as a 360Giving package that validates against the standard."""
from datetime import timedelta

from brokerage.collectives.grants.giving import Publisher, grants_package, recipient_id, recipient_location
from brokerage.core.data.models import Locality
from brokerage.partners.models import Partner

from ..bids.helpers import NOW
from .giving import package_errors
from .helpers import approve, pay, sign


def test_the_grants_feed_validates_and_lists_only_awarded_grants(app, client, world, electorate, open_poll,
                                                                 make_bid, fixed_now):
    awarded = sign(app, world, approve(app, open_poll(), electorate))
    open_poll(title="Walking football, still being voted on")
    make_bid(status="submitted", title="Printmaking, not yet decided")
    fixed_now(NOW + timedelta(days=10))
    with app.app_context():
        pay(world, awarded, 150_050, NOW + timedelta(days=10))
    response = client.get("/api/v1/grants")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    package = response.get_json()
    assert package_errors(package) == []
    [grant] = package["grants"]
    assert grant["id"] == "360G-creativeminds-1"
    assert (grant["title"], grant["currency"]) == ("Memory group at the stadium", "GBP")
    assert (grant["amountAwarded"], grant["amountAppliedFor"], grant["amountDisbursed"]) == (4000, 4000, 1500.5)
    assert grant["awardDate"] == "2026-06-18"
    assert grant["recipientOrganization"] == [{"id": f"360G-creativeminds-partner-{world.reds}",
                                               "name": "Reds in the Community", "location": [
                                                   {"name": "Barnsley", "geoCode": "E08000016", "geoCodeType": "LAD",
                                                    "countryCode": "GB"}]}]
    assert grant["dataSource"] == "http://localhost/api/v1/grants"
    assert grant["beneficiaryLocation"][0]["geoCode"] == "E08000016"
    assert grant["grantProgramme"][0]["code"] == "360G-creativeminds-collective-barnsley"
    assert grant["plannedDates"] == [{"startDate": "2026-09-01", "endDate": "2027-08-31"}]


def test_the_grants_feed_holds_no_personal_data_or_tallies(app, client, world, electorate, open_poll):
    approve(app, open_poll(), electorate)
    body = client.get("/api/v1/grants").get_data(as_text=True)
    for private in ("Pat Barnsley", "Lee Reds", "Casey Coordinator", "@example.org", "support", "tally"):
        assert private not in body


def test_recipients_are_identified_by_charity_then_company_number():
    assert recipient_id(Partner(id=7, charity_number="1234567", company_number="01234567"), "x") == "GB-CHC-1234567"
    assert recipient_id(Partner(id=7, company_number="01234567"), "x") == "GB-COH-01234567"
    assert recipient_id(Partner(id=7), "x") == "360G-x-partner-7"


def test_the_grants_prefix_comes_from_the_configuration(app, client, world, electorate, open_poll):
    approve(app, open_poll(), electorate)
    app.config["GRANTS_PREFIX"] = "swypft"
    assert client.get("/api/v1/grants").get_json()["grants"][0]["id"] == "360G-swypft-1"


def test_with_no_awards_the_feed_answers_404_with_a_reason_not_an_invalid_package(app, client, world, open_poll):
    open_poll(title="Still being voted on")
    response = client.get("/api/v1/grants")
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["error"] == "not_found" and "at least one grant" in body["message"]
    with app.app_context():  # what it would otherwise publish: a package the standard refuses
        empty = grants_package(publisher=Publisher("creativeminds", "GB-NHS-RXG", "Trust", "https://example.org/api/v1/grants"), now=NOW)
    assert empty["grants"] == [] and any("grants" in error for error in package_errors(empty))


def test_a_recipient_working_in_several_localities_claims_no_one_location(app):
    with app.app_context():
        two = [Locality(name="Barnsley", slug="barnsley", ons_code="E08000016"),
               Locality(name="Kirklees", slug="kirklees", ons_code="E08000034")]
        assert recipient_location(Partner(id=7, localities=two)) == []
        assert recipient_location(Partner(id=8, localities=[])) == []

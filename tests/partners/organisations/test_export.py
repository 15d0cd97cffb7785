"""The CSV export: the columns, the rows, and no formulas smuggled into a spreadsheet."""
import csv
import io

import pytest

from brokerage.core.values.roles import Role
from brokerage.errors import PermissionDenied
from brokerage.partners.people import services as contacts
from brokerage.partners.organisations import services
from brokerage.partners.people.services import ContactDetails
from brokerage.partners.organisations.export import HEADERS, partners_csv, safe_cell
from tests.partners.conftest import TODAY, attached, signed


@pytest.mark.parametrize("value, cell", [("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
                                         ("+44 7700 900123", "'+44 7700 900123"), ("-2+3", "'-2+3"),
                                         ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Reds", "Reds"),
                                         (None, ""), (12, "12")])
def test_cells_that_a_spreadsheet_would_run_are_made_text(value, cell):
    assert safe_cell(value) == cell


def _rows(body: str) -> list[dict]:
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_export_has_one_row_per_partner_with_agreement_contact_and_champions(app, admin, make_user, make_partner,
                                                                             link_champion):
    partner_id = make_partner("=cmd|' /C calc'!A0", type="charity", charity_number="1120412", postcode="s71 1et",
                              interests=["sport"], agreement=signed())
    champion = make_user(Role.CHAMPION, name="Dee Armitage")
    link_champion(champion, partner_id)
    with app.app_context():
        partner = services.get_partner(partner_id)
        contacts.add_contact(actor=attached(admin), partner=partner,
                             details=ContactDetails(name="Lee", email="lee@example.org", phone="+44 7700 900101"))
        rows = _rows(partners_csv(actor=attached(admin), partners=[partner], today=TODAY))
    assert list(rows[0]) == HEADERS
    row = rows[0]
    assert row["Name"] == "'=cmd|' /C calc'!A0"
    assert row["Charity number"] == "1120412" and row["Postcode"] == "S71 1ET"
    assert row["Agreement status"] == "Active" and row["Agreement expires"] == "2028-01-09"
    assert row["Safeguarding review due"] == "2027-05-01"
    assert row["Primary contact"] == "Lee" and row["Primary contact phone"] == "'+44 7700 900101"
    assert row["Linked champions"] == "Dee Armitage" and row["Interests"] == "Sport"


def test_only_coordinators_export(app, make_user):
    with app.app_context(), pytest.raises(PermissionDenied):
        partners_csv(actor=attached(make_user(Role.CHAMPION)), partners=[], today=TODAY)


def test_export_download_follows_the_search_filters(client, coordinator, make_partner):
    make_partner("Reds in the Community")
    make_partner("Halifax Arts Café", localities=("calderdale",))
    response = client.get("/partners/export.csv?locality=calderdale")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="partners-')
    assert [row["Name"] for row in _rows(response.get_data(as_text=True))] == ["Halifax Arts Café"]

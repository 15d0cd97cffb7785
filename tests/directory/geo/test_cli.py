"""`flask geo import-onspd` streams the ONS Postcode Directory; `flask geo lookup` answers in JSON."""
import json

import pytest
from sqlalchemy import func, select

from brokerage import create_app
from brokerage.core.values.timeutils import london_today
from brokerage.directory.geo.models import PostcodeCentroid
from brokerage.directory.geo.onspd import import_onspd
from brokerage.extensions import db
from config import TestingConfig
from tests.conftest import page_text

HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,lat,long,oslaua"
ROWS = [
    "HD1 2QA,HD1  2QA,HD1 2QA,198001,,E99999999,53.643700,-1.778100,E08000034",
    "S71 1ET,S71  1ET,S71 1ET,198001,,E99999999,53.558800,-1.463000,E08000016",
    "HX7 5AD,HX7  5AD,HX7 5AD,198001,200312,E99999999,53.741200,-2.013300,E08000033",  # terminated
    "WF1 1AA,WF1  1AA,WF1 1AA,198001,,E99999999,99.999999,0.000000,E08000036",  # no coordinates
    "NOTAPC,NOTAPC,NOT A PC,198001,,E99999999,53.600000,-1.500000,E08000036",  # malformed
    "WF1 2AB,WF1  2AB,WF1 2AB,198001,,E99999999,,,E08000036",  # empty coordinates
    "WF2 7AA,WF2  7AA,WF2 7AA,198001,,E99999999,53.671000,-1.530000,E08000036",
]


def write_csv(tmp_path, rows=ROWS, header=HEADER, name="ONSPD.csv"):
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    return path


def centroid(app, postcode):
    with app.app_context():
        row = db.session.get(PostcodeCentroid, postcode)
        return row and (row.latitude, row.longitude, row.precision, row.terminated)


def unit_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PostcodeCentroid)
                                 .where(PostcodeCentroid.precision == "unit"))


def test_import_loads_skips_and_flags_terminated_postcodes_in_batches(app, runner, tmp_path):
    result = runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path)), "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert ("Postcodes loaded: 4 (of which terminated: 1); rows skipped: 3; "
            "district centres recalculated: 3.") in result.output
    assert unit_count(app) == 4
    assert centroid(app, "HD1 2QA") == (53.6437, -1.7781, "unit", False)
    assert centroid(app, "HX7 5AD") == (53.7412, -2.0133, "unit", True)
    assert centroid(app, "WF1 1AA") is None


def test_import_shows_progress(runner, tmp_path):
    result = runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path))])
    assert "Importing postcodes" in result.output


def test_running_the_import_again_updates_rather_than_duplicates(app, runner, tmp_path):
    runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path))])
    moved = [ROWS[0].replace("53.643700", "53.650000")]
    result = runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path, moved, name="update.csv"))])
    assert result.exit_code == 0, result.output
    assert unit_count(app) == 4
    assert centroid(app, "HD1 2QA")[0] == 53.65


def test_a_repeated_postcode_in_one_batch_keeps_the_last_row(app, runner, tmp_path):
    rows = [ROWS[0], ROWS[0].replace("53.643700", "53.644000")]
    result = runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path, rows))])
    assert result.exit_code == 0, result.output
    assert centroid(app, "HD1 2QA")[0] == 53.644


def test_a_file_without_the_onspd_columns_is_refused_clearly(app, runner, tmp_path):
    path = write_csv(tmp_path, ["HD1 2QA,53.6,-1.7"], header="postcode,latitude,longitude")
    result = runner.invoke(args=["geo", "import-onspd", str(path)])
    assert result.exit_code != 0
    assert "not an ONS Postcode Directory CSV: no pcds, lat, long, doterm column" in result.output
    assert unit_count(app) == 0


def test_lookup_prints_json_for_an_imported_postcode(runner, tmp_path):
    runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path))])
    result = runner.invoke(args=["geo", "lookup", "s711et"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"postcode": "S71 1ET", "latitude": 53.5588, "longitude": -1.463,
                                         "precision": "unit"}


def test_lookup_falls_back_to_the_shipped_district(runner):
    loaded = runner.invoke(args=["geo", "load-districts"])
    assert loaded.exit_code == 0 and "Postcode districts written: 115." in loaded.output
    result = runner.invoke(args=["geo", "lookup", "HD8 9XY"])
    assert json.loads(result.output) == {"postcode": "HD8 9XY", "latitude": 53.595, "longitude": -1.68,
                                         "precision": "district"}
    assert json.loads(runner.invoke(args=["geo", "lookup", "wf17"]).output)["postcode"] == "WF17"


@pytest.mark.parametrize("typed, message", [
    ("TR19 7AA", "We don't know where that postcode is"),
    ("'; drop table", "Enter a postcode, like HD1 2QA"),
])
def test_lookup_of_an_unknown_or_malformed_postcode_fails_with_a_message(runner, typed, message):
    runner.invoke(args=["geo", "load-districts"])
    result = runner.invoke(args=["geo", "lookup", typed])
    assert result.exit_code == 1
    assert message in result.output


@pytest.mark.parametrize("path", ["/", "/activities", "/activities?postcode=HD1", "/login", "/no-such-page"])
def test_every_page_credits_the_postcode_data_as_the_ons_asks(client, path):
    text = page_text(client.get(path))
    assert "Source: Office for National Statistics licensed under the Open Government Licence v.3.0." in text
    year = london_today().year
    assert f"Contains OS data © Crown copyright and database right {year}." in text
    assert f"Contains Royal Mail data © Royal Mail copyright and database right {year}." in text


def test_the_credited_year_is_the_postcode_releases_when_configured(database_url, monkeypatch):
    monkeypatch.setenv("POSTCODE_DATA_YEAR", "2025")
    app = create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url})
    text = page_text(app.test_client().get("/login"))
    assert "Contains OS data © Crown copyright and database right 2025." in text
    monkeypatch.setenv("POSTCODE_DATA_YEAR", "last year")
    with pytest.raises(RuntimeError, match="POSTCODE_DATA_YEAR must be a year"):
        create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": database_url})


def test_progress_is_reported_for_every_byte_of_the_file(app, tmp_path):
    path = write_csv(tmp_path)
    seen = []
    with app.app_context(), path.open("rb") as stream:
        summary = import_onspd(stream, batch_size=3, progress=seen.append)
    assert sum(seen) == path.stat().st_size
    assert (summary.loaded, summary.skipped, summary.terminated, summary.districts) == (4, 3, 1, 3)


def test_headers_are_matched_whatever_their_case(app, runner, tmp_path):
    result = runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path, header=HEADER.upper()))])
    assert result.exit_code == 0, result.output
    assert unit_count(app) == 4


def test_import_recalculates_district_centres_from_live_postcodes(app, runner, tmp_path):
    runner.invoke(args=["geo", "load-districts"])
    rows = ROWS + ["HD1 3AB,HD1  3AB,HD1 3AB,198001,,E99999999,53.648300,-1.790100,E08000034",
                   "TR19 7AA,TR19  7AA,TR19 7AA,198001,,E99999999,50.066000,-5.700000,E06000052"]
    runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path, rows))])
    assert centroid(app, "HD1")[:3] == (pytest.approx(53.646), pytest.approx(-1.7841), "district")
    assert centroid(app, "TR19")[:2] == (50.066, -5.7)  # a district that was not shipped
    assert centroid(app, "HX7")[:2] == (53.742, -2.012)  # only a terminated postcode: shipped centre kept
    assert centroid(app, "S70")[:2] == (53.54, -1.478)  # nothing imported: shipped centre kept


def test_seeding_again_keeps_recalculated_centres_unless_replaced(app, runner, tmp_path):
    runner.invoke(args=["geo", "load-districts"])
    runner.invoke(args=["geo", "import-onspd", str(write_csv(tmp_path))])
    assert "written: 0." in runner.invoke(args=["geo", "load-districts"]).output
    assert centroid(app, "HD1")[:2] == (53.6437, -1.7781)
    assert "written: 115." in runner.invoke(args=["geo", "load-districts", "--replace"]).output
    assert centroid(app, "HD1")[:2] == (53.646, -1.785)

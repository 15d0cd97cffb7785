"""Static files' addresses carry a digest of the file, so nginx lets browsers keep them for a year
(deploy/nginx/brokerage.conf) and a release that changes a file changes its address."""
import os

from flask import url_for

from brokerage.core.web.context import static_version


def test_a_static_address_changes_when_its_file_does(tmp_path):
    style = tmp_path / "site.css"
    style.write_text("body { color: black; }")
    cache: dict = {}
    before = static_version(str(tmp_path), "site.css", cache)
    assert before == static_version(str(tmp_path), "site.css", cache)
    style.write_text("body { color: navy; }")
    os.utime(style, ns=(1, style.stat().st_mtime_ns + 1_000_000))
    assert static_version(str(tmp_path), "site.css", cache) not in {None, before}


def test_pages_link_the_versioned_stylesheet_and_it_is_served(app, client):
    with app.test_request_context():
        address = url_for("static", filename="css/site.css")
        assert address.startswith("/static/css/site.css?v=") and len(address.rsplit("=", 1)[1]) == 12
        assert url_for("static", filename="no-such-file.css") == "/static/no-such-file.css"
    assert address in client.get("/").get_data(as_text=True)
    assert client.get(address).status_code == 200

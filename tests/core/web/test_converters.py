"""Ids in URLs beyond what the database holds are a 404, never a database error (security.md row 19)."""
from brokerage.core.web.converters import MAX_ID


def test_an_id_beyond_the_largest_database_integer_is_not_found(client, coordinator):
    for path in (f"/partners/{MAX_ID + 1}", f"/impact/reports/project/{MAX_ID + 1}",
                 f"/wellbeing-measures/stories/{10**30}/edit"):
        assert client.get(path).status_code == 404, path
    assert client.get(f"/partners/{MAX_ID}").status_code == 404  # the largest id is looked up: none exists

"""A search in one line at the top of its results."""
from brokerage.directory.geo.locations import Location
from brokerage.directory.search.matching import SearchQuery
from brokerage.directory.search.summary import search_summary

HD1 = Location("HD1", 53.65, -1.78, "district")


def test_the_summary_names_the_words_the_place_and_how_many_filters():
    assert search_summary(SearchQuery(q="art", distance=5), HD1) == "Art near HD1, within 5 miles"
    assert search_summary(SearchQuery(q="choir", free=True, day=(0, 2)), None) == "Choir, anywhere, with 2 filters"
    assert search_summary(SearchQuery(), None) == "Every activity"

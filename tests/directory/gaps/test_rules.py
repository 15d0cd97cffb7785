"""The gaps page's rules: small counts of people, heat bands, gaps and sorting."""
import pytest

from brokerage.directory.gaps.rules import (FEWER_THAN, SortOrder, comparable_count, heat_band, is_gap,
                                            postcode_district, shown_count, sort_rows)


@pytest.mark.parametrize("count, shown", [(0, "0"), (1, FEWER_THAN), (4, FEWER_THAN), (5, "5"), (120, "120")])
def test_counts_of_people_from_one_to_four_are_fewer_than_five(count, shown):
    assert shown_count(count) == shown


def test_sorting_and_shading_cannot_tell_one_person_from_four():
    assert comparable_count(1, people=True) == comparable_count(4, people=True) == 1
    assert comparable_count(0, people=True) == 0 and comparable_count(7, people=True) == 7
    assert comparable_count(3, people=False) == 3  # activities are public facts


@pytest.mark.parametrize("value, largest, band", [(0, 10, 0), (1, 10, 1), (3, 10, 2), (10, 10, 4), (7, 0, 0),
                                                  (1, 1, 4)])
def test_heat_bands_are_proportional_to_the_columns_largest_figure(value, largest, band):
    assert heat_band(value, largest) == band


def test_nothing_on_offer_is_a_gap_and_any_unmet_demand_is():
    assert is_gap(0, supply=True) and not is_gap(2, supply=True)
    assert is_gap(1, supply=False) and not is_gap(0, supply=False)


@pytest.mark.parametrize("postcode, district", [("hd3 4ab", "HD3"), ("WF94AB", "WF9"), ("S70", "S70"), ("", "")])
def test_a_venue_is_counted_in_its_postcode_district(postcode, district):
    assert postcode_district(postcode) == district


def test_supply_sorts_fewest_first_demand_most_first_ties_by_name():
    rows = [("WF9", {"evening": 0, "misses": 3}), ("HD1", {"evening": 4, "misses": 9}),
            ("hd3", {"evening": 0, "misses": 7})]
    name, value = (lambda row: row[0]), (lambda row, key: comparable_count(row[1][key], people=key == "misses"))
    assert [row[0] for row in sort_rows(rows, None, name=name, value=value)] == ["HD1", "hd3", "WF9"]
    fewest = sort_rows(rows, SortOrder("evening", fewest_first=True), name=name, value=value)
    assert [row[0] for row in fewest] == ["hd3", "WF9", "HD1"]
    most = sort_rows(rows, SortOrder("misses", fewest_first=False), name=name, value=value)
    assert [row[0] for row in most] == ["HD1", "hd3", "WF9"]  # 3 is "fewer than 5": sorted as 1, below 7

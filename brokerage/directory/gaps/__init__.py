"""Gaps: for each locality's collective, where help is missing (directory/gaps/pages.py): what is
on offer by postcode district and category, the interest waiting, and the searches that found
nothing (counted by search/misses/services.record_search_miss), each gap a start for a call for bids."""

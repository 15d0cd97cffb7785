"""Searches that found nothing, counted anonymously for the gaps page (directory/gaps): the
table (`models.py`), what a miss is counted under (`rules.py`, pure) and the counting and purging
(`services.py`: the search page's one named write)."""

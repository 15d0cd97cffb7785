"""The public search: its index and words, what it matches and counts, the search and activity
pages (kept by the page cache) and the synthetic directory it is measured on."""

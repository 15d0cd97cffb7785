"""Small numbers: which counts of people may be shown (primary and secondary suppression, pure)."""

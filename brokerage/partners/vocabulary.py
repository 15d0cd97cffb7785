"""Fixed lists used by partners and champions: organisation types and areas of interest."""

PARTNER_TYPES: dict[str, str] = {
    "charity": "Registered charity",
    "cic": "Community interest company",
    "company": "Company",
    "sports_club": "Sports club",
    "faith_group": "Faith group",
    "informal_group": "Informal community group",
    "public_body": "Public body",
}

INTERESTS: dict[str, str] = {
    "arts": "Arts",
    "crafts": "Crafts",
    "music": "Music and singing",
    "drama": "Drama and performance",
    "writing": "Writing and reading",
    "sport": "Sport",
    "walking": "Walking",
    "outdoor": "Outdoor activities",
    "nature": "Nature and gardening",
    "heritage": "Heritage",
    "food": "Food and cooking",
    "digital": "Digital and media",
    "dance": "Dance",
    "wellbeing": "Relaxation and wellbeing",
}


def interest_label(code: str) -> str:
    return INTERESTS.get(code, code)

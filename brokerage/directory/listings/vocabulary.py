"""Fixed choices of the activity directory: codes stored in the database, labels shown to people."""

STATUSES = {"active": "Running", "paused": "Paused for now", "ended": "Ended"}
SUITABLE_FOR = {
    "beginners": "Beginners",
    "anxiety_friendly": "Anxiety-friendly",
    "young_people": "Young people (16 to 25)",
    "older_people": "Older people",
    "dementia": "People with dementia and their carers",
    "women_only": "Women only",
    "men": "Men",
    "carers": "Carers",
    "lgbtq": "LGBTQ+ people",
}
JOIN_METHODS = {
    "drop_in": "Drop in: just turn up",
    "self_referral": "Get in touch first (self-referral)",
    "worker_referral": "Referral by a worker",
    "booking": "Book a place",
}
ACCESSIBILITY = {
    "step_free": "Step-free access",
    "accessible_toilet": "Accessible toilet",
    "hearing_loop": "Hearing loop",
    "parking": "Parking",
    "bus_stop": "Bus stop nearby",
}
COST_KINDS = {
    "free": "Free",
    "first_session_free": "First session free",
    "pay_what_you_can": "Pay what you can",
    "price": "A set price",
}
NOISE_LEVELS = {"quiet": "Quiet", "moderate": "Some chatter", "lively": "Busy and lively"}
PARTS_OF_DAY = {
    "morning": "Morning (before 12pm)",
    "afternoon": "Afternoon (12pm to 5pm)",
    "evening": "Evening (from 5pm)",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
STALE_AFTER_DAYS = 183  # about six months: flagged to the listing's editors
HIDDEN_AFTER_DAYS = 365  # twelve months: no longer shown in search


def part_of_day(hour: int) -> str:
    """Europe/London hour -> 'morning' (before 12), 'afternoon' (12 to 5pm), 'evening' (from 5pm)."""
    if hour < 12:
        return "morning"
    return "afternoon" if hour < 17 else "evening"


def in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(value) for value in values)})"

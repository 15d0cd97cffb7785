"""A deterministic synthetic directory for load tests and benchmarks (`flask seed
--synthetic-activities N --seed S`): N activities clustered around the towns of the four
localities (a normal spread of about 2 km) plus a thin uniform background over the footprint,
with realistic categories, schedules, costs and text. The same seed and day give the same data.

Rows are written in bulk (one executemany per table per batch), not through the services:
100,000 activities take a few minutes on SQLite. Partners named after their towns are created
when missing. Upcoming sessions are expanded exactly as refresh_occurrences does."""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, text

from ...core.data.models import Locality
from ...core.data.unit_of_work import unit_of_work
from ...extensions import db
from ...partners.models import Partner
from ...partners.validation import name_key
from ..geo.locations import DistrictCentroid, read_district_centroids
from ..listings.models import (
    Accessibility,
    Activity,
    ActivityCategory,
    ActivityJoinMethod,
    ActivityOccurrence,
    ActivitySchedule,
    ActivitySearchTerm,
    ActivitySuitableFor,
    CostOption,
    Location,
    ServiceAtLocation,
)
from ..listings.occurrences import _occurrence_row
from ..listings.schedules import Frequency, Schedule, sessions_ahead
from ..listings.vocabulary import ACCESSIBILITY, JOIN_METHODS, SUITABLE_FOR
from ..models import TaxonomyTerm
from .index import band_of, index_terms, term_rows

# Words for the synthetic directory: the kinds of activity Creative Minds partners run, each
# with its category code, titles, a sentence of description and the times it usually meets.


@dataclass(frozen=True)
class Kind:
    category: str
    titles: tuple[str, ...]
    description: str
    hours: tuple[int, ...]  # usual local start hours


KINDS = (
    Kind(
        "walking-football",
        ("Walking football", "Walking football for over-50s", "Football at walking pace"),
        "Football at walking pace: no running, no tackling, all abilities welcome.",
        (10, 13, 18),
    ),
    Kind(
        "football",
        ("Good Mood Football", "Five-a-side for wellbeing", "Community football"),
        "Friendly five-a-side games with a coach; nobody keeps score of who is good.",
        (18, 19),
    ),
    Kind(
        "choir",
        ("Community choir", "Sing for your wellbeing", "Open-voice choir"),
        "Singing together, no auditions and no need to read music.",
        (10, 14, 19),
    ),
    Kind(
        "singing",
        ("Singing for the brain", "Sing-along café"),
        "Well-known songs sung together over a cuppa.",
        (10, 14),
    ),
    Kind(
        "instruments",
        ("Ukulele for beginners", "Guitar circle", "Community orchestra"),
        "Learn to play with others; instruments can be borrowed.",
        (11, 18),
    ),
    Kind("drumming", ("Drumming circle", "Samba band"), "Rhythm and percussion for everyone, loud and fun.", (18, 19)),
    Kind(
        "painting",
        ("Art group", "Watercolour painting", "Paint and chat"),
        "Painting and drawing in a relaxed group; materials provided.",
        (10, 13),
    ),
    Kind("crafts", ("Craft café", "Make and mend", "Creative crafts"), "Try a different craft each week.", (10, 13)),
    Kind(
        "pottery",
        ("Pottery taster", "Clay and ceramics"),
        "Hand-building with clay, fired in the studio kiln.",
        (10, 18),
    ),
    Kind(
        "textiles",
        ("Knit and natter", "Sewing circle", "Crochet club"),
        "Knitting, crochet and sewing with friendly company.",
        (10, 13, 18),
    ),
    Kind(
        "photography", ("Photo walk", "Phone photography"), "Take better pictures while exploring the town.", (10, 13)
    ),
    Kind(
        "creative-writing",
        ("Writing for wellbeing", "Poetry group"),
        "Write poems and stories; sharing is optional.",
        (13, 18),
    ),
    Kind(
        "drama",
        ("Community drama", "Theatre group"),
        "Games, improvisation and a small show at the end of term.",
        (18, 19),
    ),
    Kind("dance", ("Dance for all", "Seated dance"), "Move to music at your own pace.", (11, 14)),
    Kind("film", ("Film club", "Cinema afternoon"), "A film, a cup of tea and a chat about it afterwards.", (13, 18)),
    Kind("walking-netball", ("Walking netball",), "Netball at walking pace for all abilities.", (10, 18)),
    Kind("cricket", ("Softball cricket", "Indoor cricket"), "Gentle cricket with soft balls, kit provided.", (13, 18)),
    Kind(
        "table-tennis",
        ("Table tennis club", "Ping pong social"),
        "Drop-in table tennis, bats and balls provided.",
        (13, 18),
    ),
    Kind("badminton", ("Badminton social",), "Relaxed doubles games for improvers and returners.", (18, 19)),
    Kind("boxing", ("Boxercise", "Boxing fitness"), "Non-contact boxing fitness with a qualified coach.", (18,)),
    Kind(
        "swimming", ("Quiet swim", "Swimming confidence"), "A calm pool session with a lifeguard on hand.", (9, 13, 19)
    ),
    Kind("bowls", ("Crown green bowls", "Indoor bowls"), "Try bowls with experienced players.", (10, 13)),
    Kind("yoga", ("Gentle yoga", "Chair yoga"), "Slow stretching and breathing; mats provided.", (10, 18)),
    Kind("tai-chi", ("Tai chi in the park", "Qigong"), "Flowing movements for balance and calm.", (10,)),
    Kind(
        "gym",
        ("Gym buddies", "Supported gym sessions"),
        "Use the gym with an instructor and a peer buddy.",
        (10, 14, 18),
    ),
    Kind("running", ("Couch to 5k", "Jogging group"), "Run-walk intervals at an easy pace.", (9, 18)),
    Kind(
        "cycling",
        ("Community bike ride", "Cycling for health"),
        "Led rides on quiet roads and trails; bikes to borrow.",
        (10,),
    ),
    Kind(
        "mindfulness", ("Mindfulness group", "Meditation for beginners"), "Guided meditation and relaxation.", (10, 18)
    ),
    Kind(
        "walking",
        ("Health walk", "Walk and talk", "Rambling group"),
        "A friendly walk with a trained leader.",
        (10, 13),
    ),
    Kind(
        "climbing", ("Climbing for wellbeing", "Bouldering taster"), "Indoor bouldering with an instructor.", (13, 18)
    ),
    Kind(
        "gardening",
        ("Community allotment", "Gardening group", "Growing together"),
        "Growing vegetables and flowers on the allotment.",
        (10, 13),
    ),
    Kind("conservation", ("Conservation volunteers", "Green gym"), "Outdoor conservation work in local woods.", (10,)),
    Kind("nature", ("Nature walk", "Bird watching"), "Spot wildlife with a local naturalist.", (10,)),
    Kind(
        "fishing",
        ("Angling for wellbeing", "Fishing club"),
        "Learn to fish at the reservoir; tackle provided.",
        (9, 13),
    ),
    Kind(
        "cafe",
        ("Arts café", "Community café", "Recovery café"),
        "Drop in for a brew, a chat and an activity.",
        (10, 13),
    ),
    Kind(
        "peer-support",
        ("Peer support group", "Men's shed", "Women's wellbeing circle"),
        "Meet people who have been there too.",
        (13, 18),
    ),
    Kind(
        "games", ("Board games night", "Chess club", "Quiz afternoon"), "Games and puzzles in good company.", (14, 18)
    ),
    Kind("book-club", ("Book club", "Shared reading"), "Read together and talk about it; books provided.", (11, 18)),
    Kind("cooking", ("Cook and eat", "Baking club"), "Cook a healthy meal on a budget and eat it together.", (11, 17)),
    Kind("heritage", ("Local history group", "Heritage walk"), "Discover the stories of the town.", (10, 14)),
    Kind(
        "digital-skills",
        ("Digital drop-in", "Tablet and phone help"),
        "Help with phones, tablets and the internet.",
        (10, 13),
    ),
    Kind(
        "languages", ("English conversation club", "Language café"), "Practise speaking in a relaxed group.", (13, 18)
    ),
    Kind("volunteering", ("Volunteering taster", "Community volunteers"), "Try volunteering alongside others.", (10,)),
)
ORGANISATION_KINDS = (
    "Community Trust",
    "Arts Collective",
    "Sports Club",
    "Wellbeing Hub",
    "Friends Group",
    "Community Association",
)
VENUES = (
    "Community Centre",
    "Library",
    "Methodist Church Hall",
    "Leisure Centre",
    "Park Pavilion",
    "Arts Centre",
    "Sports Hall",
    "Allotments",
    "Football Ground",
    "Youth Centre",
)
STREETS = (
    "High Street",
    "Church Lane",
    "Station Road",
    "Market Street",
    "Park Road",
    "Victoria Road",
    "Mill Lane",
    "New Street",
    "King Street",
    "Queen Street",
)
OPENINGS = (
    "Everyone is welcome.",
    "Come as you are.",
    "Beginners are very welcome.",
    "You can bring a friend or support worker.",
    "Tea and biscuits included.",
)


BATCH = 2_000
BACKGROUND_SHARE = 0.08
CLUSTER_SPREAD_DEGREES = 0.018  # about 2 km north-south
FOOTPRINT = (53.45, 53.80, -2.15, -1.20)  # south, north, west, east
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
TABLES = (
    Activity,
    Location,
    ServiceAtLocation,
    ActivityCategory,
    ActivitySchedule,
    CostOption,
    ActivitySuitableFor,
    ActivityJoinMethod,
    Accessibility,
    ActivityOccurrence,
    ActivitySearchTerm,
)


@dataclass(frozen=True)
class Context:
    """What every generated row refers to: districts, partners, categories, localities."""

    districts: list[DistrictCentroid]
    partners: dict[str, list[tuple[int, str]]]  # town -> (id, name) of its partners
    terms: dict[str, tuple[int, str, str]]  # code -> (id, name, parent name)
    localities: dict[str, int]


def _ensure_partners(towns: list[str]) -> dict[str, list[tuple[int, str]]]:
    names = {town: [f"{town} {kind}" for kind in ORGANISATION_KINDS] for town in towns}
    wanted = {name_key(name): name for group in names.values() for name in group}
    existing = dict(
        db.session.execute(select(Partner.name_key, Partner.id).where(Partner.name_key.in_(wanted))).tuples().all()
    )
    missing = [
        {"name": name, "name_key": key, "type": "charity", "description": f"{name}: community activities."}
        for key, name in wanted.items()
        if key not in existing
    ]
    if missing:
        db.session.execute(Partner.__table__.insert(), missing)
        existing = dict(
            db.session.execute(select(Partner.name_key, Partner.id).where(Partner.name_key.in_(wanted))).tuples().all()
        )
    return {town: [(existing[name_key(name)], name) for name in group] for town, group in names.items()}


def load_context() -> Context:
    districts = [row for row in read_district_centroids() if row.locality]
    terms = {}
    for term in db.session.scalars(select(TaxonomyTerm)):
        terms[term.code] = (term.id, term.name, term.parent.name if term.parent is not None else "")
    localities = dict(db.session.execute(select(Locality.slug, Locality.id)).tuples().all())
    partners = _ensure_partners(sorted({row.town for row in districts}))
    return Context(districts, partners, terms, localities)


def _place(rng: random.Random, context: Context) -> tuple[DistrictCentroid, float, float]:
    district = rng.choice(context.districts)
    if rng.random() < BACKGROUND_SHARE:
        south, north, west, east = FOOTPRINT
        return district, rng.uniform(south, north), rng.uniform(west, east)
    return (
        district,
        district.latitude + rng.gauss(0, CLUSTER_SPREAD_DEGREES),
        district.longitude + rng.gauss(0, CLUSTER_SPREAD_DEGREES * 1.7),
    )


def _schedule(rng: random.Random, kind, today: date) -> Schedule:
    hour = rng.choice(kind.hours)
    start, end = time(hour, rng.choice((0, 0, 30))), time(min(hour + rng.choice((1, 2, 2, 3)), 23), 0)
    frequency = rng.choices(("weekly", "fortnightly", "monthly", "once"), (60, 15, 20, 5))[0]
    if frequency == "once":
        return Schedule(
            frequency=Frequency.ONCE,
            start_date=today + timedelta(days=rng.randrange(1, 60)),
            start_time=start,
            end_time=end,
        )
    first = today - timedelta(days=rng.randrange(0, 400))
    if frequency == "monthly":
        return Schedule(
            frequency=Frequency.MONTHLY,
            start_date=first,
            start_time=start,
            end_time=end,
            weekday=rng.randrange(7),
            week_of_month=rng.choice((1, 2, 3, 4, -1)),
        )
    return Schedule(frequency=Frequency(frequency), start_date=first, start_time=start, end_time=end)


def _cost(rng: random.Random) -> dict:
    option = rng.choices(("free", "first_session_free", "pay_what_you_can", "price"), (55, 15, 15, 15))[0]
    amount = rng.choice((150, 200, 250, 300, 400, 500)) if option == "price" else None
    return {"option": option, "amount": amount, "amount_description": "per session" if amount else ""}


def _venue(rng: random.Random, number: int, district: DistrictCentroid, latitude: float, longitude: float) -> dict:
    inward = f"{rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
    return {
        "id": number,
        "name": f"{district.town} {rng.choice(VENUES)}",
        "city": district.town,
        "address_1": f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
        "postal_code": f"{district.district} {inward}",
        "address_is_private": rng.random() < 0.03,
        "latitude": latitude,
        "longitude": longitude,
        "location_precision": "unit",
    }


def _activity(rng: random.Random, context: Context, number: int, today: date, now: datetime) -> dict:
    """Every row of one activity, keyed by table name; `number` is its id (and its venue's)."""
    kind = rng.choice(KINDS)
    district, latitude, longitude = _place(rng, context)
    title = f"{rng.choice(kind.titles)} in {district.town}"
    description = f"{kind.description} {rng.choice(OPENINGS)}"
    partner_id, provider = rng.choice(context.partners[district.town])
    term_id, term_name, parent_name = context.terms[kind.category]
    schedule, cost = _schedule(rng, kind, today), _cost(rng)
    status = rng.choices(("active", "paused", "ended"), (92, 5, 3))[0]
    checked = today - timedelta(days=int(rng.triangular(0, 450, 30)))
    sessions = sessions_ahead(schedule, now=now) if status == "active" else []
    young = rng.random() < 0.1
    activity = {
        "id": number,
        "partner_id": partner_id,
        "group_id": None,
        "title": title,
        "description": description,
        "status": status,
        "capacity": rng.choice((None, 12, 15, 20, 30)),
        "min_age": 16 if young else rng.choice((None, None, None, 18, 50)),
        "max_age": 25 if young else None,
        "first_visit_what_to_expect": "Someone will meet you at the door and introduce you.",
        "first_visit_meeting_point": "Main entrance",
        "first_visit_what_to_bring": "Comfortable clothes",
        "first_visit_beginners_welcome": rng.random() < 0.7,
        "first_visit_bring_a_friend": rng.random() < 0.6,
        "first_visit_peer_buddy": rng.random() < 0.3,
        "first_visit_noise_level": rng.choice((None, "quiet", "moderate", "lively")),
        "first_visit_quiet_space": rng.random() < 0.3,
        "last_checked_on": checked,
        "created_at": now - timedelta(days=500),
        "updated_at": now - timedelta(days=(today - checked).days),
        "latitude": latitude,
        "longitude": longitude,
        "locality_id": context.localities[district.locality],
        "is_free": cost["option"] == "free",
        "search_band": band_of(latitude),
        "listed": status == "active",
        "next_occurrence_at": sessions[0].start if sessions else None,
    }
    terms = index_terms(title=title, description=description, categories=[term_name, parent_name], provider=provider)
    location = _venue(rng, number, district, latitude, longitude)
    return {
        "activity": activity,
        "location": location,
        "service_at_location": [{"activity_id": number, "location_id": number}],
        "activity_category": [{"activity_id": number, "taxonomy_term_id": term_id}],
        "schedule": [
            {
                "activity_id": number,
                "frequency": str(schedule.frequency),
                "valid_from": schedule.start_date,
                "valid_to": None,
                "opens_at": schedule.start_time,
                "closes_at": schedule.end_time,
                "weekday": schedule.weekday,
                "week_of_month": schedule.week_of_month,
                "exception_dates": "",
            }
        ],
        "cost_option": [dict(cost, activity_id=number)],
        "activity_suitable_for": [
            {"activity_id": number, "term": term} for term in sorted(rng.sample(sorted(SUITABLE_FOR), rng.randrange(3)))
        ],
        "activity_join_method": [
            {"activity_id": number, "method": method}
            for method in sorted(rng.sample(sorted(JOIN_METHODS), rng.randrange(1, 3)))
        ],
        "accessibility": [
            {"location_id": number, "feature": feature}
            for feature in sorted(rng.sample(sorted(ACCESSIBILITY), rng.randrange(4)))
        ],
        "activity_occurrence": [_occurrence_row(number, session) for session in sessions],
        "activity_search_term": term_rows(
            number, terms, latitude=latitude, longitude=longitude, listed=status == "active", last_checked_on=checked
        ),
    }


def generate(
    count: int, *, seed: int, now: datetime, today: date, context: Context, first_id: int = 1
) -> Iterator[dict[str, list[dict]]]:
    """Batches of rows (table name -> rows) for `count` activities, ids from `first_id`."""
    rng = random.Random(seed)
    for start in range(0, count, BATCH):
        batch: dict[str, list[dict]] = {model.__tablename__: [] for model in TABLES}
        for number in range(first_id + start, first_id + min(count, start + BATCH)):
            for table, rows in _activity(rng, context, number, today, now).items():
                batch[table].extend(rows if isinstance(rows, list) else [rows])
        yield batch


def _next_id() -> int:
    return (
        max((db.session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) for model in (Activity, Location))
        + 1
    )


def _restart_sequences() -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("activity", "location", "partner"):
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


def seed_synthetic_activities(
    count: int, *, seed: int, now: datetime, today: date, progress: Callable[[int], None] | None = None
) -> int:
    """Add `count` synthetic activities (taxonomy, districts and localities must be loaded);
    commits after each batch. Returns how many were added."""
    context = load_context()
    for batch in generate(count, seed=seed, now=now, today=today, context=context, first_id=_next_id()):
        with unit_of_work():
            for model in TABLES:
                if batch[model.__tablename__]:
                    db.session.execute(model.__table__.insert(), batch[model.__tablename__])
        if progress:
            progress(len(batch["activity"]))
    with unit_of_work():
        _restart_sequences()
    return count

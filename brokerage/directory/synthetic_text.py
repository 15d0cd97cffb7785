"""Words for the synthetic directory: the kinds of activity Creative Minds partners run, each
with its category code, titles, a sentence of description and the times it usually meets."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    category: str
    titles: tuple[str, ...]
    description: str
    hours: tuple[int, ...]  # usual local start hours


KINDS = (
    Kind("walking-football", ("Walking football", "Walking football for over-50s", "Football at walking pace"),
         "Football at walking pace: no running, no tackling, all abilities welcome.", (10, 13, 18)),
    Kind("football", ("Good Mood Football", "Five-a-side for wellbeing", "Community football"),
         "Friendly five-a-side games with a coach; nobody keeps score of who is good.", (18, 19)),
    Kind("choir", ("Community choir", "Sing for your wellbeing", "Open-voice choir"),
         "Singing together, no auditions and no need to read music.", (10, 14, 19)),
    Kind("singing", ("Singing for the brain", "Sing-along café"), "Well-known songs sung together over a cuppa.",
         (10, 14)),
    Kind("instruments", ("Ukulele for beginners", "Guitar circle", "Community orchestra"),
         "Learn to play with others; instruments can be borrowed.", (11, 18)),
    Kind("drumming", ("Drumming circle", "Samba band"), "Rhythm and percussion for everyone, loud and fun.",
         (18, 19)),
    Kind("painting", ("Art group", "Watercolour painting", "Paint and chat"),
         "Painting and drawing in a relaxed group; materials provided.", (10, 13)),
    Kind("crafts", ("Craft café", "Make and mend", "Creative crafts"), "Try a different craft each week.",
         (10, 13)),
    Kind("pottery", ("Pottery taster", "Clay and ceramics"), "Hand-building with clay, fired in the studio kiln.",
         (10, 18)),
    Kind("textiles", ("Knit and natter", "Sewing circle", "Crochet club"),
         "Knitting, crochet and sewing with friendly company.",
         (10, 13, 18)),
    Kind("photography", ("Photo walk", "Phone photography"), "Take better pictures while exploring the town.",
         (10, 13)),
    Kind("creative-writing", ("Writing for wellbeing", "Poetry group"), "Write poems and stories; sharing is optional.",
         (13, 18)),
    Kind("drama", ("Community drama", "Theatre group"), "Games, improvisation and a small show at the end of term.",
         (18, 19)),
    Kind("dance", ("Dance for all", "Seated dance"), "Move to music at your own pace.", (11, 14)),
    Kind("film", ("Film club", "Cinema afternoon"), "A film, a cup of tea and a chat about it afterwards.", (13, 18)),
    Kind("walking-netball", ("Walking netball",), "Netball at walking pace for all abilities.", (10, 18)),
    Kind("cricket", ("Softball cricket", "Indoor cricket"), "Gentle cricket with soft balls, kit provided.", (13, 18)),
    Kind("table-tennis", ("Table tennis club", "Ping pong social"), "Drop-in table tennis, bats and balls provided.",
         (13, 18)),
    Kind("badminton", ("Badminton social",), "Relaxed doubles games for improvers and returners.", (18, 19)),
    Kind("boxing", ("Boxercise", "Boxing fitness"), "Non-contact boxing fitness with a qualified coach.", (18,)),
    Kind("swimming", ("Quiet swim", "Swimming confidence"), "A calm pool session with a lifeguard on hand.",
         (9, 13, 19)),
    Kind("bowls", ("Crown green bowls", "Indoor bowls"), "Try bowls with experienced players.", (10, 13)),
    Kind("yoga", ("Gentle yoga", "Chair yoga"), "Slow stretching and breathing; mats provided.", (10, 18)),
    Kind("tai-chi", ("Tai chi in the park", "Qigong"), "Flowing movements for balance and calm.", (10,)),
    Kind("gym", ("Gym buddies", "Supported gym sessions"), "Use the gym with an instructor and a peer buddy.",
         (10, 14, 18)),
    Kind("running", ("Couch to 5k", "Jogging group"), "Run-walk intervals at an easy pace.", (9, 18)),
    Kind("cycling", ("Community bike ride", "Cycling for health"),
         "Led rides on quiet roads and trails; bikes to borrow.",
         (10,)),
    Kind("mindfulness", ("Mindfulness group", "Meditation for beginners"), "Guided meditation and relaxation.",
         (10, 18)),
    Kind("walking", ("Health walk", "Walk and talk", "Rambling group"), "A friendly walk with a trained leader.",
         (10, 13)),
    Kind("climbing", ("Climbing for wellbeing", "Bouldering taster"), "Indoor bouldering with an instructor.",
         (13, 18)),
    Kind("gardening", ("Community allotment", "Gardening group", "Growing together"),
         "Growing vegetables and flowers on the allotment.", (10, 13)),
    Kind("conservation", ("Conservation volunteers", "Green gym"), "Outdoor conservation work in local woods.",
         (10,)),
    Kind("nature", ("Nature walk", "Bird watching"), "Spot wildlife with a local naturalist.", (10,)),
    Kind("fishing", ("Angling for wellbeing", "Fishing club"), "Learn to fish at the reservoir; tackle provided.",
         (9, 13)),
    Kind("cafe", ("Arts café", "Community café", "Recovery café"), "Drop in for a brew, a chat and an activity.",
         (10, 13)),
    Kind("peer-support", ("Peer support group", "Men's shed", "Women's wellbeing circle"),
         "Meet people who have been there too.", (13, 18)),
    Kind("games", ("Board games night", "Chess club", "Quiz afternoon"), "Games and puzzles in good company.",
         (14, 18)),
    Kind("book-club", ("Book club", "Shared reading"), "Read together and talk about it; books provided.", (11, 18)),
    Kind("cooking", ("Cook and eat", "Baking club"), "Cook a healthy meal on a budget and eat it together.",
         (11, 17)),
    Kind("heritage", ("Local history group", "Heritage walk"), "Discover the stories of the town.", (10, 14)),
    Kind("digital-skills", ("Digital drop-in", "Tablet and phone help"), "Help with phones, tablets and the internet.",
         (10, 13)),
    Kind("languages", ("English conversation club", "Language café"), "Practise speaking in a relaxed group.",
         (13, 18)),
    Kind("volunteering", ("Volunteering taster", "Community volunteers"), "Try volunteering alongside others.",
         (10,)),
)
ORGANISATION_KINDS = ("Community Trust", "Arts Collective", "Sports Club", "Wellbeing Hub", "Friends Group",
                      "Community Association")
VENUES = ("Community Centre", "Library", "Methodist Church Hall", "Leisure Centre", "Park Pavilion",
          "Arts Centre", "Sports Hall", "Allotments", "Football Ground", "Youth Centre")
STREETS = ("High Street", "Church Lane", "Station Road", "Market Street", "Park Road", "Victoria Road",
           "Mill Lane", "New Street", "King Street", "Queen Street")
OPENINGS = ("Everyone is welcome.", "Come as you are.", "Beginners are very welcome.",
            "You can bring a friend or support worker.", "Tea and biscuits included.")

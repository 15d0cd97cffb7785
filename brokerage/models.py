"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

from .accounts.models import Invitation, LoginKnownAddress, LoginThrottle, User, UserRole, UserSession  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .collectives.bids.models import Bid, BidTransition, MatchLine, MatchRule  # noqa: F401
from .collectives.calls.models import CallForBids  # noqa: F401
from .collectives.grants.models import GrantAgreement, GrantReport, Payment  # noqa: F401
from .collectives.models import Collective, Interest, JoinRequest, Membership  # noqa: F401
from .collectives.money.models import Fund, LedgerEntry  # noqa: F401
from .collectives.voting.models import Award, DecisionRuleSet, Poll, PollAttendance, PollElector, Vote  # noqa: F401
from .core.data.models import KeptSubmission, Locality  # noqa: F401
from .directory.geo.models import PostcodeCentroid  # noqa: F401
from .directory.interest.models import ActivityInterest  # noqa: F401
from .directory.listings.models import (  # noqa: F401
    Accessibility,
    Activity,
    ActivityCategory,
    ActivityContact,
    ActivityJoinMethod,
    ActivityOccurrence,
    ActivitySchedule,
    ActivitySuitableFor,
    CostOption,
    Location,
    ServiceAtLocation,
)
from .directory.models import Taxonomy, TaxonomyTerm  # noqa: F401
from .directory.search.misses.models import SearchMiss  # noqa: F401
from .directory.shortlist.models import Shortlist, ShortlistItem  # noqa: F401
from .directory.visits.models import GuidedVisit  # noqa: F401
from .groups.hosting.models import Expense, ExpenseApproval, HostedEntry  # noqa: F401
from .groups.models import (  # noqa: F401
    ConstitutionDraft,
    ConstitutionVersion,
    Group,
    GroupChampion,
    GroupMeeting,
    GroupOfficer,
    GroupPerson,
    GroupRelationship,
    Hosting,
)
from .notifications.models import NotificationChoice, NotificationOptOut, OutboxMessage  # noqa: F401
from .outcomes.measures.models import OutcomeParticipant, WellbeingLink, WellbeingMeasure  # noqa: F401
from .outcomes.stories.models import Story  # noqa: F401
from .partners.applications.models import PartnerApplication  # noqa: F401
from .partners.marks.models import MarkApplication, MarkCriterion, MarkEvidence, MarkScheme  # noqa: F401
from .partners.models import (  # noqa: F401
    ChampionInterest,
    ChampionLink,
    ChampionProfile,
    Partner,
    PartnerContact,
    PartnerInterest,
    PartnershipAgreement,
    PartnerUser,
)

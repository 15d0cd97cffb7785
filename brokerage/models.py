"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""
from .accounts.models import Invitation, LoginFailure, User, UserRole, UserSession  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .core.models import Locality  # noqa: F401

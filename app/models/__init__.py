"""Every table of the application, one module per aggregate.

Importing this package registers all tables on ``Base.metadata`` (Alembic relies on it).
"""

from app.models.audit import AuditEntry
from app.models.auth_token import AuthToken
from app.models.base import Base
from app.models.invitation import Invitation
from app.models.membership import Membership
from app.models.organization import Organization
from app.models.outbox import OutboxEmail
from app.models.realtime import TopicEvent, TopicSequence
from app.models.user import User

__all__ = [
    "AuditEntry",
    "AuthToken",
    "Base",
    "Invitation",
    "Membership",
    "Organization",
    "OutboxEmail",
    "TopicEvent",
    "TopicSequence",
    "User",
]

"""Every table of the application, one module per aggregate.

Importing this package registers all tables on ``Base.metadata`` (Alembic relies on it).
"""

from app.models.activity import Activity
from app.models.attachment import Attachment
from app.models.audit import AuditEntry
from app.models.auth_token import AuthToken
from app.models.bank_details import BankDetails, OrderBankDetails
from app.models.base import Base
from app.models.booth import Booth, BoothCertification
from app.models.event import Event, Hall
from app.models.idempotency import IdempotencyKey
from app.models.invitation import Invitation
from app.models.livestream import (
    FlashClaim,
    FlashOffer,
    Livestream,
    LivestreamChatMessage,
    LivestreamFollower,
    LivestreamMute,
    LivestreamPin,
    LivestreamQuoteRequest,
    LivestreamViewer,
)
from app.models.matchmaking import (
    MatchmakingAvailability,
    MatchmakingParticipant,
    MatchmakingSession,
    MatchmakingSlot,
    Meeting,
    MeetingRequest,
    MustMeet,
    ScheduleJob,
)
from app.models.matchmaking_live import MatchmakingBroadcast
from app.models.media import Media
from app.models.membership import Membership
from app.models.negotiation import Message, Negotiation, NegotiationReadState
from app.models.offer import Offer, OfferLine
from app.models.order import Order, OrderLine, PaymentMilestone
from app.models.organization import Organization
from app.models.outbox import OutboxEmail
from app.models.product import PriceTier, Product, ProductImage
from app.models.realtime import TopicEvent, TopicSequence
from app.models.user import User

__all__ = [
    "Activity",
    "Attachment",
    "AuditEntry",
    "AuthToken",
    "BankDetails",
    "Base",
    "Booth",
    "BoothCertification",
    "Event",
    "FlashClaim",
    "FlashOffer",
    "Hall",
    "IdempotencyKey",
    "Invitation",
    "Livestream",
    "LivestreamChatMessage",
    "LivestreamFollower",
    "LivestreamMute",
    "LivestreamPin",
    "LivestreamQuoteRequest",
    "LivestreamViewer",
    "MatchmakingAvailability",
    "MatchmakingBroadcast",
    "MatchmakingParticipant",
    "MatchmakingSession",
    "MatchmakingSlot",
    "Media",
    "Meeting",
    "MeetingRequest",
    "Membership",
    "Message",
    "MustMeet",
    "Negotiation",
    "NegotiationReadState",
    "Offer",
    "OfferLine",
    "Order",
    "OrderBankDetails",
    "OrderLine",
    "Organization",
    "OutboxEmail",
    "PaymentMilestone",
    "PriceTier",
    "Product",
    "ProductImage",
    "ScheduleJob",
    "TopicEvent",
    "TopicSequence",
    "User",
]

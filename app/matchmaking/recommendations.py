"""Recommended partners for one participant: the other side, best score first, with reasons.

Only for the calling participant's organization: a buyer sees suppliers scored against its
needs, a supplier sees buyers scored against its offering; nobody sees the recommendations
meant for someone else (there is no parameter to ask for them). Only scheduling candidates
are listed (app/matchmaking/scoring.py: relevant and above the threshold, or asked for).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.errors import InvalidInput
from app.kit.pagination import decode_cursor, encode_cursor
from app.matchmaking import profiles, repository, service
from app.matchmaking.reasons import ENGLISH, Voice, shown
from app.matchmaking.schemas import PartnerRead, Reason, RecommendationRead
from app.models import MatchmakingParticipant, Organization
from app.models.base import utcnow


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    certification: str | None = None
    country: str | None = None
    min_score: int = 0


def partner_read(participant: MatchmakingParticipant, organization: Organization) -> PartnerRead:
    return PartnerRead(
        participant_id=participant.id, organization_id=organization.id, name=organization.name,
        country=organization.country, side=participant.side,  # type: ignore[arg-type]
        booth_id=participant.booth_id,
    )


def _after(cursor: str | None) -> tuple[int, int] | None:
    """The (score, participant id) a page continues after."""
    if cursor is None:
        return None
    values = decode_cursor(cursor)
    if (len(values) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                    for v in values)):
        raise InvalidInput("The cursor is not valid; start again without it.",
                           code="invalid_cursor")
    return int(values[0]), int(values[1])


def _passes(found: profiles.Profiles, me: MatchmakingParticipant, partner_id: int,
            filters: Filters) -> bool:
    partner = found.participants[partner_id]
    if filters.country and found.organizations[partner.organization_id].country != filters.country:
        return False
    if me.side == "buyer":
        offer = found.suppliers[partner_id]
        categories = offer.categories | {i.category for i in offer.items}
        certifications = offer.certifications
    else:
        needs = found.buyers[partner_id]
        categories, certifications = needs.categories, needs.certifications
    if filters.category and filters.category.lower() not in categories:
        return False
    return not (filters.certification and filters.certification.upper() not in certifications)


async def recommend(
    session: AsyncSession, viewer: Principal, session_id: int, filters: Filters, limit: int,
    cursor: str | None, voice: Voice = ENGLISH,
) -> tuple[list[RecommendationRead], str | None]:
    loaded = await service.load(session, viewer, session_id)
    me = await service.own_participant(session, viewer, loaded)
    other_side = "supplier" if me.side == "buyer" else "buyer"
    others = await repository.participants(session, loaded.session.id, side=other_side)
    found = await profiles.load(session, loaded.session.id, utcnow(), only=[me, *others])
    ranked: list[tuple[int, int, list[dict[str, object]]]] = []
    for partner in others:
        pair = (me.id, partner.id) if me.side == "buyer" else (partner.id, me.id)
        value, reasons, candidate, _priority = found.score(*pair)
        if candidate and value >= filters.min_score and _passes(found, me, partner.id, filters):
            ranked.append((value, partner.id, reasons))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    after = _after(cursor)
    if after is not None:
        ranked = [r for r in ranked if (-r[0], r[1]) > (-after[0], after[1])]
    page = ranked[:limit]
    items = []
    for value, partner_id, reasons in page:
        partner = found.participants[partner_id]
        pair = (me.id, partner_id) if me.side == "buyer" else (partner_id, me.id)
        interest = found.interests.get(pair)
        items.append(RecommendationRead(
            partner=partner_read(partner, found.organizations[partner.organization_id]),
            score=value,
            reasons=[Reason.model_validate(r) for r in shown(reasons, me.side, voice)],
            request_id=found.request_ids.get(pair),
            request_status=interest.request_status if interest else None,
            must_meet=bool(interest and interest.must_meet),
        ))
    next_cursor = encode_cursor([page[-1][0], page[-1][1]]) if len(ranked) > limit else None
    return items, next_cursor

""""Ask for a quote" from a show: one click turns watching into an inquiry.

Rules:
- Whoever cannot see the show gets 404 ``livestream_not_found``; a member of a non-buyer
  organization gets 403 ``buyer_required`` (the negotiation domain's error, the same refusal
  as opening a negotiation).
- The show is live or ended (a recording still sells); a scheduled one → 409
  ``livestream_not_live``.
- The product is the one given, else the one pinned now (neither → 422
  ``product_required``); it must be a current product of the show's supplier (422
  ``product_not_available``).
- The quantity is the one given (> 0, at most 3 decimals: 422 ``invalid_quantity``), else
  the quantity the viewer last asked for this product in any show, else the product's MOQ.
- The buyer's negotiation about the product is opened or reused by the negotiation service
  (``open_negotiation``: its first message, notifications and audit entry), with a message
  saying that the inquiry came from the show. A ``LivestreamQuoteRequest`` row records it for
  the show's funnel, every time (a second ask reuses the negotiation, and both asks count).

No analytics ``Activity`` is written: the negotiation domain records none when a negotiation
opens, so an inquiry from a show is counted the same way as any other (once, by whatever
counts negotiations), never twice.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.principal import Principal
from app.catalog.schemas import format_quantity
from app.errors import InvalidInput
from app.kit.money import places
from app.livestreams import access
from app.livestreams import sales_repository as repository
from app.livestreams.errors import LivestreamNotLive, ProductNotAvailable
from app.livestreams.sales_schemas import QuoteRequestCreate, QuoteRequestRead
from app.models import LivestreamQuoteRequest, Product
from app.models.base import utcnow
from app.negotiations import offer_rules
from app.negotiations import service as negotiations
from app.negotiations.schemas import NegotiationCreate
from app.organizations import service as organizations


class ProductRequired(InvalidInput):
    code = "product_required"
    message = "No product is pinned right now: name the product you want a quote for."


class InvalidQuantity(InvalidInput):
    code = "invalid_quantity"
    message = (
        f"Quantities must be greater than zero, below {offer_rules.MAX_QUANTITY:,}, with at "
        f"most {offer_rules.QUANTITY_PLACES} decimals."
    )


def checked_quantity(quantity: Decimal) -> Decimal:
    """The quantity if an offer line could carry it (the offer rules' bounds), else 422."""
    if (not quantity.is_finite() or quantity <= 0 or quantity >= offer_rules.MAX_QUANTITY
            or places(quantity) > offer_rules.QUANTITY_PLACES):
        raise InvalidQuantity(details={"field": "quantity"})
    return quantity


async def require_buyer(session: AsyncSession, principal: Principal) -> int:
    """The caller's organization id if it is a buyer, else 403 ``buyer_required``."""
    org_id = principal.organization_id
    if org_id is None or (await organizations.get_profile(session, org_id)).kind != "buyer":
        raise negotiations.BuyerRequired("Only buyers can ask for quotes and claim offers.")
    return org_id


async def show_product(session: AsyncSession, supplier_id: int, product_id: int) -> Product:
    """A current product of the show's supplier, else 422 ``product_not_available``."""
    product = await repository.supplier_product(session, supplier_id, product_id)
    if product is None:
        raise ProductNotAvailable(details={"product_id": product_id})
    return product


async def ask(
    session: AsyncSession, principal: Principal, livestream_id: int, data: QuoteRequestCreate
) -> QuoteRequestRead:
    """Open or reuse the buyer's negotiation about a product of the show (see module doc)."""
    seen = await access.seen(session, principal, livestream_id)
    buyer_id = await require_buyer(session, principal)
    show = seen.livestream
    if show.status == "scheduled":
        raise LivestreamNotLive("The show has not started: ask for a quote once it is live.")
    product_id = data.product_id or show.pinned_product_id
    if product_id is None:
        raise ProductRequired()
    product = await show_product(session, show.supplier_id, product_id)
    if data.quantity is not None:
        quantity = checked_quantity(data.quantity)
    else:
        quantity = (await repository.last_quantity_asked(session, principal.user_id, product.id)
                    or product.moq)
    negotiation, created = await negotiations.open_negotiation(
        session, principal,
        NegotiationCreate(
            subject_type="product", subject_id=product.id, quantity=quantity,
            message=(f"Quote request from the livestream “{show.title}”: "
                     f"{format_quantity(quantity)} {product.unit} of {product.name}."),
        ),
    )
    request = LivestreamQuoteRequest(
        livestream_id=show.id, user_id=principal.user_id, buyer_org_id=buyer_id,
        product_id=product.id, quantity=quantity, negotiation_id=negotiation.id,
        negotiation_created=created, created_at=utcnow(),
    )
    session.add(request)
    await session.flush()
    return QuoteRequestRead(
        quote_request_id=request.id, negotiation_id=negotiation.id,
        negotiation_created=created, product_id=product.id, quantity=quantity,
    )

"""The demo's trade talks: negotiations between demo buyers and suppliers, an open
counter-offer and an order whose deposit is paid, so the journey from a product page to an
order timeline can be clicked through right after ``tradehall demo``. Before them, every demo
supplier gives its bank details, so the order's proforma invoice shows where to pay.

Everything goes through the negotiation, offer and order services, exactly as the API would
drive them (messages, events, audit entries and notifications included), so every rule those
services keep holds for the demo's rows too. A negotiation is found by its natural key (buyer
× supplier × product); one that exists is left exactly as it is, talk and offers included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from sqlalchemy import func, select

from app.accounts import repository as accounts_repository
from app.accounts.principal import Principal
from app.banking import service as banking
from app.banking.schemas import BankDetailsUpdate
from app.demo.data import SUPPLIERS, OrganizationSeed, demo_email
from app.models import AuthToken, Offer, Order, Product
from app.models.base import utcnow
from app.negotiations import offers
from app.negotiations import repository as negotiations_repository
from app.negotiations import service as negotiations
from app.negotiations.schemas import NegotiationCreate, OfferCreate, OfferLineIn
from app.orders import service as orders
from app.orders.schemas import TransitionCreate

if TYPE_CHECKING:
    from app.demo.seed import SeedContext

BANK_DETAILS = "bank details"
NEGOTIATIONS = "negotiations"
OFFERS = "offers"
ORDERS = "orders"

Side = Literal["buyer", "supplier"]
# What happens to the deal's offer after the talk: none, a counter by the buyer (left open),
# or acceptance with the deposit paid.
Outcome = Literal["talk", "countered", "deposit_paid"]

OFFER_VALID_DAYS = 14
SHIPMENT_IN_DAYS = 45
DEPOSIT_PERCENT = Decimal(30)
BALANCE_TERMS = "70% against copy of B/L"


@dataclass(frozen=True, slots=True)
class DealSeed:
    buyer: str  # the buyer's slug: its owner signs in as demo_email(slug)
    supplier: str  # the supplier's slug, likewise
    product: str  # the supplier's product name, as in catalog_data
    quantity: Decimal  # what the buyer asks for, in the product's unit
    talk: tuple[tuple[Side, str], ...]  # after the buyer's opening message
    outcome: Outcome = "talk"
    unit: str = "kg"
    offered_price: Decimal = Decimal(0)  # the supplier's unit price
    countered_price: Decimal = Decimal(0)  # the buyer's, for outcome "countered"
    payment_reference: str = ""  # for outcome "deposit_paid"


DEALS: tuple[DealSeed, ...] = (
    DealSeed(
        buyer="levante-mar", supplier="yuanhong-shrimp",
        product="Frozen whiteleg shrimp HLSO 16/20, IQF", quantity=Decimal(18000),
        talk=(
            ("buyer", "Hello, we need one 40' reefer a month for Valencia from February. "
                      "Can you pack 10 × 1 kg retail bags with Spanish labels? ASC certified?"),
            ("supplier", "您好！可以，我们有ASC和BRC证书，西班牙语标签没有问题。"
                         "Yes: ASC and BRC certified, Spanish labels are no problem."),
            ("supplier", "We quote FOB Fuzhou for 18 tonnes, shipment within six weeks. "
                         "Offer follows."),
            ("buyer", "Thank you. Your price is above our target; we send a counter-offer."),
        ),
        outcome="countered", offered_price=Decimal("9.20"), countered_price=Decimal("8.85"),
    ),
    DealSeed(
        buyer="pacific-harbor", supplier="dongzhang-tilapia",
        product="IQF tilapia fillets, skinless boneless 3-5, 4 × 2.5 kg bags",
        quantity=Decimal(16000),
        talk=(
            ("buyer", "Hi, we need BAP-certified fillets with FDA-ready labels for Seattle. "
                      "Is your plant FDA registered?"),
            ("supplier", "是的，我们工厂已在FDA注册，BAP四星认证。"
                         "Yes, our plant is FDA registered and BAP 4-star."),
            ("buyer", "Great. Please send your best FOB Fuzhou price for one 40' reefer."),
        ),
        outcome="deposit_paid", offered_price=Decimal("2.85"),
        payment_reference="TT-PHS-2611-0042",
    ),
    DealSeed(
        buyer="atlantic-shore", supplier="rongqiao-canned",
        product="Canned mackerel in tomato sauce, 24 × 425 g tins", quantity=Decimal(1200),
        unit="carton",
        talk=(
            ("buyer", "Can you mix canned mackerel and sardines in one 20' container?"),
            ("supplier", "可以拼柜，每个品种最少300箱。Mixed containers are fine, at least "
                         "300 cartons per item."),
            ("buyer", "Good. Could you send photos of the tins and the carton marks?"),
        ),
    ),
    DealSeed(
        buyer="levante-mar", supplier="yangxia-squid",
        product="Frozen squid rings 1.5-2 cm, bulk pack", quantity=Decimal(10000),
        talk=(
            ("buyer", "Are your squid rings glazed? We need at most 10% glaze, net weight "
                      "declared."),
            ("supplier", "我们的镀冰衣为8%，净重标注。Glaze is 8%, net weight declared on "
                         "every carton."),
        ),
    ),
)


# Where the demo suppliers are paid: Fuqing branches of Chinese banks (head-office BICs; the
# account numbers are made up).
DEMO_BANKS = (
    ("Bank of China, Fuqing Branch", "BKCHCNBJ"),
    ("Industrial Bank, Fuqing Branch", "FJIBCNBA"),
    ("China Construction Bank, Fuqing Branch", "PCBCCNBJ"),
)


def _bank_details(seed: OrganizationSeed, number: int) -> BankDetailsUpdate:
    bank, bic = DEMO_BANKS[number % len(DEMO_BANKS)]
    return BankDetailsUpdate(
        beneficiary_name=seed.name, bank_name=bank,
        bank_address="Fuqing, Fujian 350300, China",
        account_number=f"3510 {1000 + number:04d} 6020 {7331 * (number + 1) % 10000:04d}",
        swift_bic=bic, currency="USD",
    )


async def seed_bank_details(ctx: SeedContext) -> None:
    """Each demo supplier's owner gives its bank details through the banking service (audit
    entry and members' emails included); a supplier that has any keeps them."""
    for number, seed in enumerate(SUPPLIERS):
        organization = ctx.organizations.get(seed.name)
        owner = await _principal_by_email(ctx, seed.owner.email)
        if organization is None or owner is None or owner.organization_id != organization.id:
            continue  # the organizations step already said what is wrong with it
        try:
            await banking.current(ctx.session, owner, organization.id)
            ctx.count(BANK_DETAILS, created=False)
        except banking.BankDetailsNotSet:
            await banking.change(ctx.session, owner, organization.id,
                                 _bank_details(seed, number))
            ctx.count(BANK_DETAILS, created=True)


async def _principal(ctx: SeedContext, slug: str) -> Principal | None:
    return await _principal_by_email(ctx, demo_email(slug))


async def _principal_by_email(ctx: SeedContext, email: str) -> Principal | None:
    """The organization owner's principal, as if signed in; None if the user is gone or
    belongs to no organization any more."""
    user = ctx.users.get(email.lower())
    if user is None:
        return None
    membership = await accounts_repository.get_membership(ctx.session, user.id)
    if membership is None:
        return None
    # The services read who acts from the user and membership only; no token is stored.
    return Principal(user=user, membership=membership, token=AuthToken())


async def _product(ctx: SeedContext, supplier_id: int, name: str) -> Product | None:
    return await ctx.session.scalar(
        select(Product)
        .where(Product.supplier_id == supplier_id, Product.name == name,
               Product.deleted_at.is_(None))
        .order_by(Product.id)
        .limit(1)
    )


def _offer(deal: DealSeed, product: Product, price: Decimal, notes: str) -> OfferCreate:
    now = utcnow()
    return OfferCreate(
        lines=[OfferLineIn(product_id=product.id, quantity=deal.quantity, unit=deal.unit,
                           unit_price=price)],
        currency=product.currency, incoterm="FOB", named_place="Fuzhou",
        shipment_date=(now + timedelta(days=SHIPMENT_IN_DAYS)).date(),
        deposit_percent=DEPOSIT_PERCENT, balance_terms=BALANCE_TERMS,
        valid_until=now + timedelta(days=OFFER_VALID_DAYS), notes=notes,
    )


async def count_present(ctx: SeedContext, negotiation_id: int) -> None:
    """A negotiation an earlier run made, with its offers and orders, as already present
    (also for the live shows' seed, app.demo.livestreams)."""
    ctx.count(NEGOTIATIONS, created=False)
    held_offers = await ctx.session.scalar(
        select(func.count(Offer.id)).where(Offer.negotiation_id == negotiation_id)
    )
    held_orders = await ctx.session.scalar(
        select(func.count(Order.id)).where(Order.negotiation_id == negotiation_id)
    )
    ctx.summary.already_present[OFFERS] += int(held_offers or 0)
    ctx.summary.already_present[ORDERS] += int(held_orders or 0)


async def _play(
    ctx: SeedContext, deal: DealSeed, product: Product, buyer: Principal, supplier: Principal
) -> None:
    session = ctx.session
    negotiation, _ = await negotiations.open_negotiation(session, buyer, NegotiationCreate(
        subject_type="product", subject_id=product.id, message=deal.talk[0][1],
        quantity=deal.quantity,
    ))
    ctx.count(NEGOTIATIONS, created=True)
    for side, body in deal.talk[1:]:
        await negotiations.post_message(
            session, buyer if side == "buyer" else supplier, negotiation.id, body
        )
    if deal.outcome == "talk":
        return
    proposed = await offers.propose(session, supplier, negotiation.id, _offer(
        deal, product, deal.offered_price, "Price valid for the quantity offered."
    ))
    ctx.count(OFFERS, created=True)
    if deal.outcome == "countered":
        await offers.counter(session, buyer, proposed.id, _offer(
            deal, product, deal.countered_price, "Our target price for a monthly contract."
        ))
        ctx.count(OFFERS, created=True)
        return
    _, order_id = await offers.accept(session, buyer, proposed.id)
    ctx.count(ORDERS, created=True)
    order = await orders.visible(session, supplier, order_id)
    await orders.transition(session, supplier, order_id, TransitionCreate(
        to="deposit_paid", version=order.version, payment_reference=deal.payment_reference,
        paid_on=utcnow().date(),
    ))


async def seed_negotiations(ctx: SeedContext) -> None:
    """Each of ``DEALS`` played through the services, unless its negotiation exists."""
    for deal in DEALS:
        buyer = await _principal(ctx, deal.buyer)
        supplier = await _principal(ctx, deal.supplier)
        if (buyer is None or supplier is None or buyer.organization_id is None
                or supplier.organization_id is None):
            ctx.summary.warnings.append(
                f"The talk between {deal.buyer} and {deal.supplier} was skipped: one of their "
                "demo users is missing or in no organization."
            )
            continue
        product = await _product(ctx, supplier.organization_id, deal.product)
        if product is None:
            continue  # a person deleted it: it stays deleted, and nobody talks about it
        negotiation = await negotiations_repository.find(
            ctx.session, buyer.organization_id, supplier.organization_id, "product",
            product.id,
        )
        if negotiation is not None:
            await count_present(ctx, negotiation.id)
            continue
        await _play(ctx, deal, product, buyer, supplier)
    ctx.summary.tour.append(_tour())


def _tour() -> str:
    countered = next(d for d in DEALS if d.outcome == "countered")
    paid = next(d for d in DEALS if d.outcome == "deposit_paid")
    return (
        f"Negotiations: sign in as {demo_email(countered.buyer)} to see an open "
        f"counter-offer, or as {demo_email(paid.buyer)} for an order with its deposit paid."
    )


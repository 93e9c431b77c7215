"""The demo's live shows in the Fuqing expo: one live now (a pinned product, chat, a flash
offer), one upcoming (with a buyer waiting for it), and one ended (its recording, chat replay
and a funnel with a quote request, claims, the negotiation a claim opened and the order it led
to).

Shows, pins, chat, quotes, flash offers and claims go through the livestream services, as
the API and the room drive them. Two things have no service because the room itself writes
them, a second at a time: the like and viewer counters (written here with the room's own
repository calls), and the shows' start and end times, which the services stamp with the
seed's clock and the seed then moves back to the show's schedule so the pages read like a
day at the fair. A show is found by its natural key (booth × title); one that exists is left
exactly as it is (the negotiations it opened, with their offers and orders, are reported as
present).

The playback URLs are placeholders on an example domain (nothing is fetched, by the server
or the seed): the room says that this browser cannot play them and links them, which is what
a real stream address from any streaming service replaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.demo.data import demo_email
from app.demo.deals import NEGOTIATIONS, OFFERS, ORDERS, _principal, count_present
from app.livestreams import chat, flash, followers, pins, quotes, service
from app.livestreams import room_repository as counters
from app.livestreams.sales_schemas import (
    FlashClaimCreate,
    FlashClaimRead,
    FlashOfferCreate,
    QuoteRequestCreate,
)
from app.livestreams.schemas import LivestreamCreate
from app.models import Booth, FlashClaim, Livestream, LivestreamQuoteRequest, Product
from app.models.base import utcnow
from app.negotiations import offers
from app.negotiations import service as negotiations

if TYPE_CHECKING:
    from app.accounts.principal import Principal
    from app.demo.seed import SeedContext

LIVESTREAMS = "livestreams"
PLACEHOLDER_STREAMS = "https://stream.example.com/fuqing"


@dataclass(frozen=True, slots=True)
class ShowSeed:
    supplier: str  # the host's slug: its owner signs in as demo_email(slug)
    title: str
    title_zh: str
    description: str
    kind: str  # "live", "upcoming" or "ended"
    product: str = ""  # the supplier's product shown (pinned, on flash offer), by name
    chat: tuple[tuple[str, str], ...] = ()  # (slug of who writes, the line)
    likes: int = 0
    peak_viewers: int = 0


LIVE = ShowSeed(
    supplier="yuanhong-shrimp",
    title="Live from the packing hall: grading and glazing vannamei",
    title_zh="包装车间直播：南美白对虾分级与镀冰衣",
    description="Today's harvest from our Fuqing ponds, graded 16/20 to 31/40, IQF and "
                "glazed in front of you. Ask for a quote on the product we show.",
    kind="live",
    product="Frozen whiteleg shrimp HLSO 16/20, IQF",
    chat=(
        ("yuanhong-shrimp", "大家好！Welcome, we start with HLSO 16/20 from this morning."),
        ("levante-mar", "Hola from Valencia! What glaze do you apply on the 16/20?"),
        ("yuanhong-shrimp", "10% glaze, net weight declared on every carton."),
        ("pacific-harbor", "Can you do 4 × 2.5 kg bags for food service?"),
        ("yuanhong-shrimp", "Yes, 4 × 2.5 kg or 10 × 1 kg, your label."),
        ("atlantic-shore", "Looks great. Is the flash price FOB Fuzhou?"),
    ),
    likes=214, peak_viewers=38,
)
UPCOMING = ShowSeed(
    supplier="yangxia-squid",
    title="Squid season opens: rings, tubes and tentacles",
    title_zh="鱿鱼季开幕：鱿鱼圈、鱿鱼筒与鱿鱼须",
    description="First landings of the season at Yangxia: sizes, cuts and this year's prices.",
    kind="upcoming",
)
ENDED = ShowSeed(
    supplier="rongqiao-canned",
    title="From the boat to the tin: canned mackerel",
    title_zh="从渔船到罐头：鲭鱼罐头",
    description="A walk through our cannery: cooking, filling, seaming and retorting, with "
                "the private-label options.",
    kind="ended",
    product="Canned mackerel in tomato sauce, 24 × 425 g tins",
    chat=(
        ("rongqiao-canned", "欢迎！Welcome to the Rongqiao cannery."),
        ("atlantic-shore", "Which tomato sauce recipe do you use for the EU market?"),
        ("rongqiao-canned", "Our EU recipe: no added sugar, 2% olive oil. Samples on request."),
        ("pacific-harbor", "What is the shelf life printed on the tins?"),
        ("rongqiao-canned", "Three years from production."),
    ),
    likes=96, peak_viewers=21,
)
SHOWS = (LIVE, UPCOMING, ENDED)
# Who watched the shows with a chat (each one's unique viewers), besides those who chat.
WATCHERS = ("levante-mar", "pacific-harbor", "atlantic-shore")
# Who asks for a quote and claims in the ended show: a buyer already talking with the cannery
# about the tins (app.demo.deals), so the show reaches that negotiation.
SALES_BUYER = "atlantic-shore"
# Who claims in the ended show without having talked with the cannery: the claim opens their
# negotiation, and they accept its offer after the show, the order the funnel leads to.
NEW_BUYER = "levante-mar"
CANNERY_REPLY = ("感谢您在直播中抢购！Thank you for your claim in the show: the offer at the "
                 "show price is here, ready to accept.")


async def seed_livestreams(ctx: SeedContext) -> None:
    """The three demo shows, unless a show with the same title exists in the booth."""
    event = ctx.event
    assert event is not None  # noqa: S101 - seed_expo runs first
    zone = ZoneInfo(event.time_zone)
    for seed in SHOWS:
        host = await _principal(ctx, seed.supplier)
        if host is None or host.organization_id is None:
            ctx.summary.warnings.append(f"The show of {seed.supplier} was skipped: its demo "
                                        "user is missing or in no organization.")
            continue
        booth_id = await ctx.session.scalar(
            select(Booth.id).where(Booth.event_id == event.id,
                                   Booth.supplier_id == host.organization_id,
                                   Booth.status == "approved"))
        products = await _products(ctx, host.organization_id, seed.product)
        if booth_id is None or not products:
            continue  # a person changed the booth or emptied the catalog: leave it be
        existing = await ctx.session.scalar(
            select(Livestream.id).where(Livestream.booth_id == booth_id,
                                        Livestream.title == seed.title).limit(1))
        if existing is not None:
            ctx.count(LIVESTREAMS, created=False)
            for negotiation_id in await _opened_by(ctx, existing):
                await count_present(ctx, negotiation_id)
            continue
        await _play(ctx, seed, host, booth_id, products, _start_of(seed, zone))
        ctx.count(LIVESTREAMS, created=True)
    ctx.summary.tour.append(
        f"Live shows: open the expo's Live shows page; sign in as {demo_email('levante-mar')} "
        f"to chat and ask for a quote, or as {demo_email(LIVE.supplier)} to host the live "
        f"show (pin, flash offers, moderation) and see the ended show's funnel as "
        f"{demo_email(ENDED.supplier)}."
    )


async def _products(ctx: SeedContext, supplier_id: int, shown: str) -> list[Product]:
    """The product the show is about first, then two others of the supplier to pin."""
    current = list(await ctx.session.scalars(
        select(Product).where(Product.supplier_id == supplier_id, Product.deleted_at.is_(None))
        .order_by(Product.id).limit(50)))
    first = [p for p in current if p.name == shown] or current[:1]
    return first + [p for p in current if p not in first][:2]


async def _opened_by(ctx: SeedContext, livestream_id: int) -> set[int]:
    """The negotiations the show's quote requests and claims opened. Those they reused are
    the deals' (app.demo.deals counts them there)."""
    claims = select(FlashClaim.negotiation_id).where(
        FlashClaim.livestream_id == livestream_id, FlashClaim.negotiation_created.is_(True))
    asks = select(LivestreamQuoteRequest.negotiation_id).where(
        LivestreamQuoteRequest.livestream_id == livestream_id,
        LivestreamQuoteRequest.negotiation_created.is_(True))
    return {n for n in await ctx.session.scalars(claims.union(asks)) if n is not None}


def _start_of(seed: ShowSeed, zone: ZoneInfo) -> datetime:
    now = utcnow()
    if seed.kind == "live":
        return now - timedelta(minutes=20)
    if seed.kind == "ended":
        return now - timedelta(days=1, hours=2)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(10), zone)  # 10:00 at the fair


async def _play(
    ctx: SeedContext, seed: ShowSeed, host: Principal, booth_id: int, products: list[Product],
    starts: datetime,
) -> None:
    session = ctx.session
    slug = seed.supplier
    show = await service.create(session, host, booth_id, LivestreamCreate(
        title=seed.title, title_zh=seed.title_zh, description=seed.description,
        scheduled_start=starts, playback_url=f"{PLACEHOLDER_STREAMS}/{slug}/live.m3u8",
        recording_url=(f"{PLACEHOLDER_STREAMS}/{slug}/recording.mp4"
                       if seed.kind == "ended" else None),
    ))
    if seed.kind == "upcoming":
        buyer = await _principal(ctx, "levante-mar")
        if buyer is not None:
            await followers.follow(session, buyer, show.id)  # "Remind me"
        return
    await service.start(session, host, show.id)
    for product in reversed(products[:2]):  # the first product stays pinned
        await pins.pin(session, host, show.id, product.id)
    await _chat(ctx, seed, show.id)
    await counters.add_likes_and_peak(session, show.id, seed.likes, seed.peak_viewers)
    watchers = [p for p in [await _principal(ctx, s) for s in WATCHERS] if p is not None]
    await counters.add_viewers(session, show.id, [p.user_id for p in watchers], utcnow())
    product = products[0]
    offer = await flash.publish(session, host, show.id, FlashOfferCreate(
        product_id=product.id, unit_price=_flash_price(product), quantity=product.moq * 5,
        duration_minutes=24 * 60, incoterm=_incoterm(product),
        named_place=product.port_of_loading or "Fuzhou", deposit_percent=Decimal(30),
        balance_terms="70% against copy of B/L",
    ))
    if seed.kind == "ended":
        new_claim = await _sell(ctx, show.id, offer.id, product)
        await service.end(session, host, show.id)
        if new_claim is not None:
            await _order_after_the_show(ctx, host, new_claim)
    await _as_scheduled(ctx, show.id, starts, ended=seed.kind == "ended")


async def _chat(ctx: SeedContext, seed: ShowSeed, livestream_id: int) -> None:
    for who, line in seed.chat:
        author = await _principal(ctx, who)
        if author is not None:
            await chat.post_message(ctx.session, author, livestream_id, line)


async def _sell(
    ctx: SeedContext, livestream_id: int, offer_id: int, product: Product
) -> FlashClaimRead | None:
    """The ended show's funnel: ``SALES_BUYER`` asks for a quote and claims the flash offer,
    both landing in the negotiation they already have with the cannery about these tins (a
    real buyer gets no second thread about the same product); ``NEW_BUYER`` claims too,
    which opens their first negotiation with the cannery. Returns that claim."""
    known = await _principal(ctx, SALES_BUYER)
    if known is not None:
        await quotes.ask(ctx.session, known, livestream_id, QuoteRequestCreate(
            product_id=product.id, quantity=product.moq * 2))
        await _claim(ctx, known, offer_id, product.moq * 2)
    new = await _principal(ctx, NEW_BUYER)
    return None if new is None else await _claim(ctx, new, offer_id, product.moq * 2)


async def _claim(
    ctx: SeedContext, buyer: Principal, offer_id: int, quantity: Decimal
) -> FlashClaimRead:
    claimed = await flash.claim(ctx.session, buyer, offer_id, FlashClaimCreate(quantity=quantity))
    if claimed.negotiation_created:
        ctx.count(NEGOTIATIONS, created=True)
    if claimed.offer_id is not None:
        ctx.count(OFFERS, created=True)
    return claimed


async def _order_after_the_show(
    ctx: SeedContext, host: Principal, claimed: FlashClaimRead
) -> None:
    """The cannery answers the new buyer in the negotiation the claim opened, and the buyer
    accepts the offer at the show's price: an order, which the show's funnel counts."""
    buyer = await _principal(ctx, NEW_BUYER)
    if buyer is None or claimed.offer_id is None:
        return
    await negotiations.post_message(ctx.session, host, claimed.negotiation_id, CANNERY_REPLY)
    await offers.accept(ctx.session, buyer, claimed.offer_id)
    ctx.count(ORDERS, created=True)


def _flash_price(product: Product) -> Decimal:
    """10% under the product's lowest tier price: the show's special."""
    return (product.price_from * Decimal("0.9")).quantize(Decimal("0.01"))


def _incoterm(product: Product) -> str:
    return product.incoterms[0] if product.incoterms else "FOB"


async def _as_scheduled(
    ctx: SeedContext, livestream_id: int, starts: datetime, *, ended: bool
) -> None:
    """Move the start (and end) the services stamped with the seed's clock back to the
    show's schedule: the live show has been on for twenty minutes, the ended one lasted
    forty-five."""
    show = await ctx.session.get(Livestream, livestream_id)
    if show is None:
        return
    show.started_at = starts
    if ended:
        show.ended_at = starts + timedelta(minutes=45)
    await ctx.session.flush()

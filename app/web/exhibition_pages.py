"""Exhibition floor pages: event lobby, booths, products, search, exhibitor and organizer tools.

``router`` (mounted by create_app) gathers the page modules, one per audience:

- ``floor_pages``: the public floor (events, lobby, booth, product, search);
- ``exhibitor_pages``: a supplier's booths and applications, the booth editor;
- ``product_pages``: a supplier's product manager (catalog, product form, CSV);
- ``organizer_pages``: an organizer's events, halls and application review queue;
- ``negotiation_pages``: a buyer's and a supplier's negotiations, the room and its offers;
- ``order_pages``: their orders, each with its timeline, steps and proforma invoice;
- ``bank_details_pages``: a supplier's bank details (buyers see them on proformas);
- ``matchmaking_pages``: an organizer's matchmaking sessions (form, admin, scheduler, meetings);
- ``matchmaking_registration_pages`` and ``matchmaking_participant_pages``: a buyer's or
  supplier's registration, recommendations, meeting requests and agenda;
- ``livestream_pages``: an event's live shows, the live room, a show's funnel, and a booth's
  shows with the form that schedules one.

Shared pieces (the page dependency, formats, upload forms) are in ``exhibition_view``.
"""

from __future__ import annotations

from fastapi import APIRouter

from app.web import (
    bank_details_pages,
    exhibitor_pages,
    floor_pages,
    livestream_pages,
    matchmaking_live_pages,
    matchmaking_pages,
    matchmaking_participant_pages,
    matchmaking_registration_pages,
    negotiation_pages,
    order_pages,
    organizer_pages,
    product_pages,
)

router = APIRouter(include_in_schema=False)
router.include_router(floor_pages.router)
router.include_router(exhibitor_pages.router)
router.include_router(product_pages.router)
router.include_router(organizer_pages.router)
router.include_router(negotiation_pages.router)
router.include_router(order_pages.router)
router.include_router(bank_details_pages.router)
router.include_router(matchmaking_pages.router)
router.include_router(matchmaking_registration_pages.router)
router.include_router(matchmaking_participant_pages.router)
router.include_router(matchmaking_live_pages.router)
router.include_router(livestream_pages.router)

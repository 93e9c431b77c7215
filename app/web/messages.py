"""English messages that reach pages without passing through a ``_("...")`` call.

Why this module exists: domain services raise ``AppError`` subclasses whose message is a class
attribute or a literal argument (``raise InvitationUsed()``), and the error handler shows
Starlette's own phrases ("Not Found"). Pages translate them only when shown
(``ctx.gettext(exc.message)``, ``_(message)`` in error.html), so Babel's extractor, which looks
for ``_()``/``N_()`` calls, would never put them in the catalog and Chinese users would read
English errors. Listing them here, wrapped in the no-op marker ``N_``, lets extraction find
them. Nothing imports ``SERVICE_MESSAGES`` at run time except the catalog test.

tests/web/test_i18n.py fails when a service raises a message that is missing from the catalog:
add it below, run the extraction (see frontend/translations/README.md) and translate it.
"""

from __future__ import annotations

from app.kit.translation import N_ as N_  # re-exported: the pages import it from here

SERVICE_MESSAGES = (
    # app/errors.py: the defaults of the error hierarchy
    N_("The request could not be processed."),
    N_("Sign in first: send a valid bearer token or session cookie."),
    N_("You are not allowed to do this."),
    N_("Not found."),
    N_("This conflicts with the current state."),
    N_("Some fields are invalid."),
    N_("Too many requests; try again later."),
    N_("A value is out of range or contains characters that cannot be stored."),
    N_("A service TradeHall depends on is not reachable right now; try again shortly."),
    # app/error_handlers.py and Starlette's HTTP phrases
    N_("Request failed."),
    N_("The request is invalid."),
    N_("Something went wrong on our side; it was logged."),
    N_("Not Found"),
    N_("Method Not Allowed"),
    # app/kit/pagination.py
    N_("The cursor is not valid; start again without it."),
    # app/api/deps.py
    N_("The bearer token is invalid, expired or revoked."),
    # app/accounts/service.py
    N_("The email or password is not correct."),
    N_("An account with this email already exists. Sign in instead."),
    N_("No such token."),
    # app/organizations/service.py
    N_("No such organization."),
    N_("Only an owner of this organization can do this."),
    N_("This invitation link is not valid. Ask the person who invited you for a new one."),
    N_("This invitation has already been used. Sign in, or ask for a new invitation."),
    N_("This invitation has expired. Ask the person who invited you for a new one."),
    N_("This invitation was withdrawn. Ask the organization's owner for a new one."),
    N_(
        "This person already has a TradeHall account; each account belongs to one "
        "organization."
    ),
    N_("No such invitation."),
    N_("This invitation has already been accepted."),
    N_("Only platform admins can list every organization."),
    # app/events/service.py
    N_("No such event."),
    N_("Only the event's organizer can do this."),
    N_("Only organizer organizations can create events."),
    N_("The event's status does not allow this."),
    N_("This event is closed; it can no longer be changed."),
    N_("No such hall in this event."),
    N_("This event already has a hall with this name; choose another name."),
    N_("This hall has booths; move or remove them before deleting the hall."),
    N_("The event must end after it starts: set ends_at after starts_at."),
    N_("The event is a draft: publish it first; then it can go live and be closed."),
    N_("The event is already published: it can go live, or be closed."),
    N_("The event is live: it can only be closed."),
    N_("The event is closed, which is final: its status cannot change any more."),
    # app/booths/service.py
    N_("No such booth."),
    N_("Only supplier organizations can apply for a booth."),
    N_("Only the exhibitor's team can edit its booth."),
    N_("Only the event's organizer can decide on applications."),
    N_("This event does not take booth applications now."),
    N_("This event is closed; it no longer takes booth applications."),
    N_("This event is not published yet; applications open when it is."),
    N_("Your organization already has a booth in this event; edit that one instead."),
    N_("The booth's status does not allow this."),
    N_("The booth is already approved, and a decision is final."),
    N_("The booth was rejected, and a decision is final."),
    N_("The hall can change only while the application is pending; this booth has been "
       "decided on."),
    N_("This hall is not part of the event; choose one of its halls."),
    N_("This image is not one of your organization's uploads; upload it first."),
    # app/catalog/service.py and app/catalog/imports.py
    N_("No such product."),
    N_("Only members of a supplier organization can manage products."),
    N_("The file has problems; nothing was imported."),
    N_("The file is larger than 5 MB: split it into several files and import them one by "
       "one."),
    # app/media/service.py
    N_("No such image."),
    N_("Uploads belong to an organization; this account is not a member of one."),
    N_('Send the image as a multipart form field named "file".'),
    N_("The file is empty."),
    N_("The file is larger than 10 MB. Make it smaller and upload it again."),
    N_("This file is not an image we accept: upload a JPEG, PNG, WebP or GIF picture."),
    N_("This image has more than 50 megapixels. Resize it and upload it again."),
    # app/search/service.py
    N_("price_min is greater than price_max; swap them or widen the range."),
    N_("Prices are compared within one currency: add currency (for example currency=USD) "
       "to filter or sort by price."),
    N_("The cursor is not valid for this search; start again without it."),
    N_("The search text has more than 8 words; use fewer, more telling words."),
    # app/negotiations (service, offers, offer_rules, topics)
    N_("No such negotiation."),
    N_("No such product or approved booth to negotiate about."),
    N_("Only a buyer organization can open a negotiation."),
    N_("No such quick reply."),
    N_("No such offer."),
    N_("This negotiation already has an open offer. Accept, reject or counter it, or "
       "withdraw yours, before proposing another."),
    N_("This offer is no longer open: it was accepted, rejected, withdrawn or countered."),
    N_("This offer has expired. Ask for a new one, or propose your own."),
    N_("This is your side's offer: the other side accepts, rejects or counters it."),
    N_("Only the side that proposed this offer can withdraw it."),
    N_("The offer has invalid terms."),
    N_("Quantities must be greater than zero."),
    N_("Unit prices must be greater than zero."),
    N_("Every line of an offer is in the offer's currency: make one offer per currency."),
    N_("Use a unit code from GET /products/reference."),
    N_("Name one of the supplier's products, or leave product_id out and describe the "
       "goods."),
    N_("Describe the goods of a line without a product."),
    N_("Use an ISO 4217 currency code in use today, e.g. USD, CNY."),
    N_("Use an Incoterms 2020 rule: EXW, FCA, FAS, FOB, CFR, CIF, CPT, CIP, DAP, DPU or "
       "DDP."),
    N_("The deposit is a percentage from 0 to 100."),
    N_("An offer must be valid until a moment in the future."),
    N_("seq must be a message seq (a non-negative integer)."),
    # app/orders/service.py
    N_("No such order."),
    N_("The order cannot take this step from its current status."),
    N_("This step is the other party's to take."),
    N_("The order changed since you loaded it. Reload it and try again."),
    N_("Shipping needs the container number, the B/L number, the ETD and the ETA."),
    N_("The container number is not a valid ISO 6346 number (4 letters, 7 digits, the "
       "last one a check digit). Copy it again from the booking."),
    N_("Give the payment's reference (and date) to confirm the deposit."),
    N_("This order has no such payment milestone."),
    N_("This payment is already recorded."),
    N_("The ETA cannot be before the ETD."),
    N_("Only the supplier records a payment it received."),
    N_("A cancelled order takes no payments."),
    # app/idempotency/service.py
    N_("This Idempotency-Key was already used for a different request. Use a new key for "
       "each new request, and the same key only to retry the very same request."),
    N_("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
    N_("A request with this Idempotency-Key is still being processed; retry shortly."),
)

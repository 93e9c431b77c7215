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
    # app/negotiations/attachments.py
    N_("No such attachment in this negotiation."),
    N_('Send the file as a multipart form field named "file".'),
    N_("A message carries at most 5 files: send the others in another message."),
    N_("This file is not one we accept: attach a PDF document or a JPEG, PNG, WebP or GIF "
       "picture."),
    N_("This PDF is encrypted or protected by a password, so it cannot be checked for "
       "harmful content. Save a copy without a password and attach that."),
    N_("This PDF contains JavaScript, embedded files or actions that start programs, which "
       "are a common way to spread malware, so it cannot be sent. Print or export it to a "
       "plain PDF and attach that."),
    N_("You have sent many files in the last hour. Wait a while before sending more."),
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
    # app/banking/service.py
    N_("This organization has not given its bank details yet."),
    N_("Only supplier organizations give bank details: buyers pay into the account shown on "
       "each order's proforma invoice."),
    N_("Some bank details are not valid."),
    N_("Someone else changed the bank details at the same moment. Reload them, check them, "
       "and save again."),
    N_("This IBAN's check digits do not match: a character is wrong or two are swapped. "
       "Copy it again from the bank's statement."),
    N_("An account number has 4 to 34 letters or digits (spaces and hyphens allowed), or "
       "give the IBAN."),
    N_("A SWIFT/BIC code has 8 or 11 letters and digits: bank (4 letters), country (2 "
       "letters), location (2), optional branch (3), e.g. BKCHCNBJ."),
    # app/matchmaking/errors.py and the matchmaking services (pages show these as refusals)
    N_("No such matchmaking session."),
    N_("No such participant in this session."),
    N_("No such meeting request."),
    N_("No such meeting in this session."),
    N_("No such scheduling job for this session."),
    N_("Register your organization for this session first."),
    N_("Only buyer and supplier organizations take part in matchmaking sessions."),
    N_("Suppliers need an approved booth in this event to register; apply for one first."),
    N_("Only the organization the request was sent to can answer it."),
    N_("Only the organization that sent the request can cancel it."),
    N_("The session's status does not allow this."),
    N_("This event is not open: matchmaking sessions need a published or live event."),
    N_("Registration for this session has closed."),
    N_("Meeting requests close with registration."),
    N_("Your organization is already registered; edit its registration instead."),
    N_("There already is an open meeting request between you and this participant."),
    N_("This meeting request has expired; send a new one if you still want to meet."),
    N_("This meeting request has already been answered or withdrawn."),
    N_("You have reached your limit of pending meeting requests; wait for answers or "
       "cancel one."),
    N_("You have sent as many meeting requests as allowed in a day; try again later."),
    N_("A scheduling job is already running for this session; wait for it to finish."),
    N_("No such must-meet mark in this session."),
    N_("This change breaks a scheduling rule."),
    N_("This session has no such slot."),
    N_("These two already meet."),
    N_("Every table is taken in that slot."),
    N_("A participant already has a meeting in that slot."),
    N_("A participant is not available in that slot."),
    N_("A participant already has as many meetings as allowed."),
    N_("Choose two different meetings to swap."),
    N_("Send meeting requests to the other side: buyers to suppliers, suppliers to buyers."),
    N_("buyer_id must be a buyer participant."),
    N_("supplier_id must be a supplier participant."),
    N_("The job stopped answering (its server stopped); run the schedule again."),
    N_("The server stopped while the job ran; run the schedule again."),
    # app/matchmaking/registration.py: one message per invalid field
    N_("The highest target price must not be below the lowest."),
    N_("Give the currency of your prices."),
    N_("Use an ISO 4217 code: USD, EUR, CNY..."),
    N_("Give a quantity together with its unit (kg, t, carton...)."),
    N_("A quantity must be greater than zero."),
    N_("Use a unit from GET /products/reference (kg, t, carton...)."),
    N_("Use a category code from GET /products/reference."),
    N_("Use a certification scheme from GET /products/reference (HACCP, BRC, MSC...)."),
    N_("Use an Incoterms 2020 rule: EXW, FCA, FOB, CFR, CIF..."),
    N_("Name products shown in this event (by their id)."),
    N_("A price must be greater than zero."),
    N_("HS codes are 2 to 10 digits, dots allowed: 03, 0306, 0306.17."),
    N_("This window is outside the session's slots: check the date and your time zone."),
    N_("At most as many meetings as the session allows each participant."),
    N_("Buyers send needs; suppliers send an offering."),
    N_("This local time does not exist in your time zone that day (the clocks skip it); "
       "choose another time."),
    # app/idempotency/service.py
    N_("This Idempotency-Key was already used for a different request. Use a new key for "
       "each new request, and the same key only to retry the very same request."),
    N_("The Idempotency-Key header must be 1 to 255 visible ASCII characters."),
    N_("A request with this Idempotency-Key is still being processed; retry shortly."),
    # app/matchmaking/live*.py: the live matchmaking day
    N_("The session is not live: the live day's actions open when the organizer starts it."),
    N_("Check-in opens shortly before the meeting's slot; try again then."),
    N_("The grace period of this meeting is over and it was marked as a no-show; your "
       "partner may be re-matched. Look at your next meeting in the lobby."),
    N_("This meeting has not taken place; it can be rated once it has started."),
    N_("Your organization has already rated this meeting."),
    N_("No re-match is open for this meeting: only a party that checked in to a meeting "
       "its partner missed can be re-matched, before the next slot is under way."),
    N_("This participant is not a match for you; choose one of the offered partners."),
    N_("The supplier has no booth in this event to negotiate about; write to them there."),
    N_("Share a product of this meeting's supplier."),
    # app/livestreams: what the livestream pages can show (app/web/livestream_pages.py)
    N_("No such livestream."),
    N_("Only the booth's members can do this."),
    N_("Only the booth's members and the event's organizer can moderate this show."),
    N_("The show is not live."),
    N_("The show's status does not allow this."),
    N_("Shows can be scheduled once the organizer has approved the booth."),
    N_("This product is not one of the booth's current products."),
    N_("Only a scheduled show can start."),
    N_("Only a live show can end."),
    N_("The show has not started: ask for a quote once it is live."),
    N_("No product is pinned right now: name the product you want a quote for."),
    N_("Only buyers can ask for quotes and claim offers."),
    N_("No such flash offer."),
    N_("This flash offer has closed."),
    N_("Not that much is left of this flash offer: claim a smaller quantity."),
    N_("Your organization has already claimed this flash offer."),
    N_("The product of this flash offer is no longer available."),
)

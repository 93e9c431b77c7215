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


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (translated when shown)."""
    return message


SERVICE_MESSAGES = (
    # app/errors.py: the defaults of the error hierarchy
    N_("The request could not be processed."),
    N_("Sign in first: send a valid bearer token or session cookie."),
    N_("You are not allowed to do this."),
    N_("Not found."),
    N_("This conflicts with the current state."),
    N_("Some fields are invalid."),
    N_("Too many requests; try again later."),
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
)

"""Pages that show the realtime layer at work. Mounted by create_app as ``router``.

``/realtime/diagnostics`` drives the ``diag:<room>`` (durable) and ``pulse:<room>``
(ephemeral) topics from the browser with frontend/static/js/realtime.js, the same client the
live pages use: it shows presence, numbered messages, and a resume after a dropped connection.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from app.errors import NotFound
from app.realtime.protocol import TOPIC_PATTERN
from app.web.messages import N_
from app.web.pages import Ctx, login_redirect

router = APIRouter(include_in_schema=False)

DEFAULT_ROOM = "lobby"
ROOM_INVALID = N_(
    "Use 1 to 64 letters, digits, dots, dashes or underscores, with no spaces (for example "
    "lobby or test-2)."
)


def room_is_valid(room: str) -> bool:
    # The protocol's own topic rule, so the page never offers a room the server would refuse.
    return TOPIC_PATTERN.match(f"diag:{room}") is not None


@router.get("/realtime/diagnostics", response_class=HTMLResponse)
async def diagnostics_page(ctx: Ctx) -> Response:
    """Signed-in users only, and only where the diagnostic topics exist (dev, or opted in).

    The page 404s before it asks anyone to sign in: where diagnostics are off, it does not
    exist for anybody.
    """
    if not ctx.settings.diagnostics_enabled:
        raise NotFound()
    if ctx.principal is None:
        return login_redirect(ctx.request)
    room = ctx.request.query_params.get("room", "").strip() or DEFAULT_ROOM
    errors: dict[str, str] = {}
    if not room_is_valid(room):
        errors["room"] = ctx.gettext(ROOM_INVALID)
    return ctx.render(
        "realtime/diagnostics.html",
        status_code=422 if errors else 200,
        room=room,
        errors=errors,
    )

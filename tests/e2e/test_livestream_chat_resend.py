"""A viewer's chat line whose reply is lost (the socket drops right after the server stored
it) is sent again with the same client_msg_id: the room shows it once, the viewer's box
empties, and nothing is stored twice."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, WebSocketRoute, expect

from tests.e2e.test_livestream_room import _in_the_room, contexts

__all__ = ["contexts"]

pytestmark = pytest.mark.browser

LINE = "Is the glaze 20% or 10%?"


class LoseFirstChatReply:
    """Between the page and the app: the first ``chat.send`` reaches the server, and its
    reply is replaced by a dropped connection; everything else passes."""

    def __init__(self) -> None:
        self.chat_sends: list[dict[str, Any]] = []
        self.lost_ref: str | None = None
        self.lost = False

    def __call__(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message)
            if frame.get("type") == "chat.send":
                self.chat_sends.append(frame["payload"])
                if self.lost_ref is None:
                    self.lost_ref = frame["ref"]
            server.send(message)

        def from_server(message: str | bytes) -> None:
            frame = json.loads(message)
            if not self.lost and self.lost_ref is not None and frame.get("ref") == self.lost_ref:
                self.lost = True
                ws.close(code=4000, reason="lost on the way")
                server.close()
                return
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)


def test_a_line_sent_again_after_its_reply_was_lost_is_shown_once(
    contexts: tuple[BrowserContext, BrowserContext], server_url: str  # noqa: F811
) -> None:
    lose = LoseFirstChatReply()
    contexts[1].route_web_socket(re.compile(r"/ws$"), lose)
    _live, _squid, host, viewer = _in_the_room(contexts, server_url)

    box = viewer.get_by_label("Your message")
    box.fill(LINE)
    viewer.get_by_role("button", name="Send", exact=True).click()
    expect(viewer.locator("#ls-chat-error")).to_contain_text("Not sent")
    expect(box).to_have_value(LINE)  # kept, to send again
    expect(viewer.locator("#ls-connection")).to_have_attribute("data-state", "open")
    viewer.get_by_role("button", name="Send", exact=True).click()
    expect(box).to_have_value("")
    expect(viewer.locator("#ls-chat-error")).to_be_hidden()

    # A later line: once both pages show it, a second copy of the first would be there too.
    host.get_by_label("Your message").fill("20%, packed at -18 °C.")
    host.get_by_role("button", name="Send", exact=True).click()
    for page in (host, viewer):
        expect(page.locator("#ls-messages")).to_contain_text("packed at -18 °C.")
        expect(page.locator("#ls-messages li", has_text=LINE)).to_have_count(1)
    assert lose.lost
    assert [s["body"] for s in lose.chat_sends] == [LINE, LINE]
    first, again = (s["client_msg_id"] for s in lose.chat_sends)
    assert first == again
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", first)

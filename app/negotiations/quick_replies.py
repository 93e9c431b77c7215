"""Quick-reply phrases: common negotiation moves stored as keys, read in each reader's language.

A quick reply is a text message whose ``data`` holds ``quick_reply: <key>``; its ``body`` keeps
the English text for API clients that do not translate. Pages show ``_(QUICK_REPLIES[key])``,
so a buyer writing in English and a supplier reading in Chinese both read it natively.
Keys are stored in messages: never rename one, only add.
"""

from __future__ import annotations

from app.errors import InvalidInput
from app.kit.translation import N_

QUICK_REPLIES = {
    "better_price_two_containers": N_("Can you do a better price for 2 containers?"),
    "shelf_life": N_("What is the shelf life?"),
    "sample_available": N_("Can you send a sample?"),
    "lead_time": N_("What is the lead time after the deposit?"),
    "payment_terms_lc": N_("Can we pay by letter of credit (L/C) at sight?"),
    "certificates": N_("Which certificates can you provide?"),
    "packing_details": N_("Please send the packing details."),
    "moq_lower": N_("Can you accept a lower MOQ?"),
    "price_valid_until": N_("How long is this price valid?"),
    "shipment_port": N_("Which port do you ship from?"),
}


class UnknownQuickReply(InvalidInput):
    code = "unknown_quick_reply"
    message = "No such quick reply."


def quick_reply_text(key: str) -> str:
    """The English text of a quick reply (refused with ``unknown_quick_reply`` if unknown)."""
    text = QUICK_REPLIES.get(key)
    if text is None:
        raise UnknownQuickReply()
    return text

"""Bank account identifiers: IBAN (ISO 13616) and SWIFT/BIC (ISO 9362) checks.

They catch the typo that would send a deposit to nobody (or to somebody else): an IBAN's two
check digits make any single wrong character, and almost any swap, fail the mod-97 test.
"""

from __future__ import annotations

import re

from app.kit.validation import is_country_code

# Two letters (the country), two check digits, then 11 to 30 letters or digits: the shortest
# IBAN in use has 15 characters (Norway), the longest 34, the most ISO 13616 allows.
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_LOOKS_LIKE_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}")
# Bank (4 letters), country (2 letters), location (2), optional branch (3); ISO 9362.
_BIC = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
# A domestic account number: letters, digits and the hyphens some banks print.
_ACCOUNT = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,32}[A-Z0-9]$")


def compact(value: str) -> str:
    """Upper case without spaces: how IBANs and account numbers are compared and stored."""
    return "".join(value.split()).upper()


def looks_like_iban(value: str) -> bool:
    """Country letters then check digits: what an IBAN starts with and a plain account
    number (digits only in China, the US...) does not."""
    return bool(_LOOKS_LIKE_IBAN.match(compact(value)))


def iban_is_valid(value: str) -> bool:
    """Well formed, a real country, and the mod-97 checksum holds (ISO 7064)."""
    iban = compact(value)
    if not _IBAN.match(iban) or not is_country_code(iban[:2]):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def account_number_is_valid(value: str) -> bool:
    account = compact(value)
    return bool(_ACCOUNT.match(account)) and any(char.isdigit() for char in account)


def bic_is_valid(value: str) -> bool:
    """8 or 11 characters, the 5th and 6th a real country code."""
    match = _BIC.match(compact(value))
    return match is not None and is_country_code(match.group(1))


def bic_key(value: str) -> str:
    """A BIC for comparison: the 8-character form means the head office, ``XXX``."""
    bic = compact(value)
    return bic + "XXX" if len(bic) == 8 else bic


def grouped(account: str) -> str:
    """An IBAN in groups of four, as printed on paper (``DE89 3704 0044 ...``); any other
    account number as it is."""
    if not looks_like_iban(account):
        return account
    return " ".join(account[i:i + 4] for i in range(0, len(account), 4))


def ending(account: str) -> str:
    """The last four characters, for messages that must not carry the whole number."""
    return account[-4:]

"""Free text: Chinese substrings, English words and parts of words, Latin names, HS codes."""

from __future__ import annotations

import httpx
import pytest

from tests.search.helpers import Expo, ids


async def search(client: httpx.AsyncClient, event_id: int, **params: str | int) -> list[int]:
    response = await client.get(f"/api/v1/events/{event_id}/products", params=params)
    assert response.status_code == 200, response.text
    return sorted(ids(response.json()))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("虾", ["vannamei", "tiger", "red", "acetes"]),  # one character: the fallback scan
        ("对虾", ["vannamei"]),  # two characters: the fallback scan
        ("白对虾", ["vannamei"]),  # three: the trigram index
        ("南美白对虾", ["vannamei"]),
        ("鱿鱼", ["squid"]),
        ("海蜇", ["jellyfish"]),
    ],
)
async def test_chinese_substrings_are_found_without_a_word_segmenter(
    client: httpx.AsyncClient, expo: Expo, q: str, expected: list[str]
) -> None:
    assert await search(client, expo.event_id, q=q) == sorted(expo.products[k] for k in expected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("shrimp", ["vannamei", "tiger", "red", "acetes", "jellyfish"]),  # jellyfish: text
        ("SHRIMP", ["vannamei", "tiger", "red", "acetes", "jellyfish"]),
        ("white shrimp", ["vannamei"]),  # every term must occur
        ("shrimp white", ["vannamei"]),
        ("shri", ["vannamei", "tiger", "red", "acetes", "jellyfish"]),  # part of a word
        ("vanna", ["vannamei"]),
        ("squid", ["squid"]),
        ("Fuqing", ["vannamei"]),  # description
        ("tiger prawn", ["tiger"]),  # species
        ("hoso", ["tiger"]),
        ("nothing-like-this", []),
    ],
)
async def test_english_words_and_parts_of_words_are_found(
    client: httpx.AsyncClient, expo: Expo, q: str, expected: list[str]
) -> None:
    assert await search(client, expo.event_id, q=q) == sorted(expo.products[k] for k in expected)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Litopenaeus vannamei", ["vannamei"]),
        ("Pleoticus", ["red"]),
        ("monodon", ["tiger"]),
        ("030617", ["vannamei", "tiger", "red"]),  # HS code prefix
        ("dried_seafood", ["squid", "acetes", "jellyfish"]),  # category code
    ],
)
async def test_latin_names_hs_codes_and_categories_are_searchable(
    client: httpx.AsyncClient, expo: Expo, q: str, expected: list[str]
) -> None:
    assert await search(client, expo.event_id, q=q) == sorted(expo.products[k] for k in expected)


async def test_mixed_short_and_long_terms_must_all_match(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    assert await search(client, expo.event_id, q="虾 tiger") == [expo.products["tiger"]]
    assert await search(client, expo.event_id, q="虾 squid") == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("10%", ["vannamei"]),  # "10% glazing", literally
        ("%", ["vannamei"]),
        ("10_", []),  # not "10" and any character
        ("shr_mp", []),
        ("\\", []),
        ('"', []),
        ("'", []),
        ('shrimp" OR "squid', []),  # FTS5 query syntax is text too
        ("虾%", []),
    ],
)
async def test_like_and_fts_syntax_characters_are_plain_text(
    client: httpx.AsyncClient, expo: Expo, q: str, expected: list[str]
) -> None:
    assert await search(client, expo.event_id, q=q) == sorted(expo.products[k] for k in expected)


async def test_text_matches_ignore_products_that_must_not_show(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    found = set(await search(client, expo.event_id, q="shrimp"))
    found |= set(await search(client, expo.event_id, q="虾"))
    assert found.isdisjoint(expo.hidden.values())


async def test_blank_query_lists_everything_newest_first(
    client: httpx.AsyncClient, expo: Expo
) -> None:
    response = await client.get(f"/api/v1/events/{expo.event_id}/products", params={"q": "  "})
    assert response.status_code == 200
    # Products were created in dict order, one minute apart.
    assert ids(response.json()) == list(reversed(expo.products.values()))

"""Simultaneous changes of one supplier's bank details on PostgreSQL: each change becomes
its own version or is refused with 409, never two rows with one version number, never 500."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from app.db import create_sessionmaker
from app.models import BankDetails
from tests.factories import register
from tests.orders.helpers import CHINA_DETAILS, IBAN_DETAILS, OTHER_DETAILS, put_bank_details

ROUNDS = 10


async def test_simultaneous_changes_each_get_a_version_or_409(
    pg_client: httpx.AsyncClient, pg_app: FastAPI
) -> None:
    owner = await register(pg_client, kind="supplier")
    bodies = (IBAN_DETAILS, OTHER_DETAILS, CHINA_DETAILS)
    saved = 0
    for round_ in range(ROUNDS):
        responses = await asyncio.gather(*(
            put_bank_details(pg_client, owner, **{**body, "bank_address": f"round {round_}"})
            for body in bodies
        ))
        statuses = [r.status_code for r in responses]
        assert set(statuses) <= {200, 409}, [r.text for r in responses]
        assert 200 in statuses
        for response in responses:
            if response.status_code == 409:
                assert response.json()["error"]["code"] == "bank_details_changed_concurrently"
        saved += statuses.count(200)
    async with create_sessionmaker(pg_app.state.engine)() as db:
        versions = list(await db.scalars(
            select(BankDetails.version).where(BankDetails.organization_id ==
                                              owner.organization_id)
            .order_by(BankDetails.version)
        ))
    assert versions == list(range(1, saved + 1))

"""Times on pages are in the viewer's zone; development pages do not exist in production."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.main import create_app
from app.models import Membership, User
from app.web.context import TZ_COOKIE
from app.web.i18n import format_time
from tests.web.helpers import (
    csrf_for,
    get_page,
    invite_via_form,
    post_form,
    register_via_form,
    text_of,
)


async def test_a_user_in_shanghai_sees_times_in_shanghai_time(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    account = await register_via_form(client, time_zone="Asia/Shanghai")
    joined_at = await db.scalar(
        select(Membership.created_at).join(User).where(User.email == account.email)
    )
    assert joined_at is not None

    html = (await get_page(client, "/settings/organization")).text
    page = text_of(html)

    # The members table shows the join time converted to Shanghai time, with the zone named.
    assert format_time(joined_at, ZoneInfo("Asia/Shanghai"), "en") in html
    assert "(Asia/Shanghai)" in page
    assert "Times are shown in Asia/Shanghai." in page


async def test_the_same_moment_reads_differently_in_madrid(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    account = await register_via_form(client, time_zone="Europe/Madrid")
    joined_at = await db.scalar(
        select(Membership.created_at).join(User).where(User.email == account.email)
    )
    assert joined_at is not None
    html = (await get_page(client, "/settings/organization")).text
    assert format_time(joined_at, ZoneInfo("Europe/Madrid"), "en") in html
    assert "(Asia/Shanghai)" not in html


async def test_an_invitation_expiry_is_shown_in_the_owners_zone(
    client: httpx.AsyncClient,
) -> None:
    await register_via_form(client, time_zone="America/Sao_Paulo")
    await invite_via_form(client, "expiry@example.com")
    page = text_of((await get_page(client, "/settings/invitations")).text)
    assert "(America/Sao_Paulo)" in page


async def test_before_sign_in_the_browsers_zone_is_used(client: httpx.AsyncClient) -> None:
    client.cookies.set(TZ_COOKIE, "Asia%2FShanghai")
    page = text_of((await get_page(client, "/")).text)
    assert "Times are shown in Asia/Shanghai." in page
    client.cookies.set(TZ_COOKIE, "Not/AZone")
    page = text_of((await get_page(client, "/")).text)
    assert "Times are shown in UTC." in page


async def test_a_user_can_change_their_time_zone_on_the_profile(
    client: httpx.AsyncClient,
) -> None:
    account = await register_via_form(client, time_zone="Asia/Shanghai")
    token = await csrf_for(client, "/settings/profile")
    bad = await post_form(
        client, "/settings/profile",
        {"csrf_token": token, "full_name": account.full_name, "locale": "en",
         "time_zone": "Shanghai"},
    )
    assert bad.status_code == 422
    assert "Enter a time zone such as Asia/Shanghai or Europe/Madrid." in text_of(bad.text)
    good = await post_form(
        client, "/settings/profile",
        {"csrf_token": token, "full_name": account.full_name, "locale": "en",
         "time_zone": "Europe/Madrid"},
    )
    assert good.status_code == 303
    page = text_of((await get_page(client, "/settings/profile?saved=1")).text)
    assert "Your profile is saved." in page
    assert "Times are shown in Europe/Madrid." in page


@pytest.fixture
async def prod_client(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        environment="prod",
        database_url=database_url,
        secret_key="a-production-secret-that-is-long-enough-0123456789",
        data_dir=tmp_path,
        base_url="https://fair.example",
        allowed_origins=["https://fair.example"],
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="https://fair.example") as c:
            yield c


async def test_the_dev_outbox_is_404_in_production(prod_client: httpx.AsyncClient) -> None:
    response = await get_page(prod_client, "/dev/outbox")
    assert response.status_code == 404
    home = await get_page(prod_client, "/")
    assert home.status_code == 200
    assert "/dev/outbox" not in home.text  # no link to it either


async def test_the_dev_outbox_lists_emails_in_development(client: httpx.AsyncClient) -> None:
    empty = await get_page(client, "/dev/outbox")
    assert empty.status_code == 200
    assert "No emails yet." in text_of(empty.text)

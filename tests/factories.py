"""Small helpers that create test data through the public API, as a client would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@dataclass
class Account:
    email: str
    password: str
    user_id: int
    organization_id: int | None
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}@example.com"


async def register(
    client: httpx.AsyncClient,
    *,
    kind: str = "supplier",
    email: str | None = None,
    organization_name: str | None = None,
    country: str = "CN",
    **extra: Any,
) -> Account:
    email = email or unique_email(kind)
    body = {
        "email": email,
        "password": PASSWORD,
        "full_name": f"Test {kind.title()}",
        "organization": {
            "name": organization_name or f"{kind.title()} Co {next(_counter)}",
            "kind": kind,
            "country": country,
            "languages": ["zh", "en"],
        },
        **extra,
    }
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    token = await login(client, email)
    return Account(
        email=email,
        password=PASSWORD,
        user_id=data["user"]["id"],
        organization_id=data["organization"]["id"],
        token=token,
    )


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.search.helpers import Expo, create_expo


@pytest.fixture
async def expo(db: AsyncSession) -> Expo:
    return await create_expo(db)

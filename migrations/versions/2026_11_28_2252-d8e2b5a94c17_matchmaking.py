"""matchmaking sessions, participants, requests, meetings

(Skeleton: filled in by the work on matchmaking.)

Revision ID: d8e2b5a94c17
Revises: c9b7e2f41a08
Create Date: 2026-11-28 22:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = 'd8e2b5a94c17'
down_revision: str | None = 'c9b7e2f41a08'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

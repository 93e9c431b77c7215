"""supplier bank details and their snapshot on orders

(Skeleton: filled in by the work on bank details.)

Revision ID: c9b7e2f41a08
Revises: c3a1f0d27b64
Create Date: 2026-11-28 22:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = 'c9b7e2f41a08'
down_revision: str | None = 'c3a1f0d27b64'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""negotiation message attachments

(Skeleton: filled in by the work on chat attachments.)

Revision ID: c3a1f0d27b64
Revises: e835435acea7
Create Date: 2026-11-28 22:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = 'c3a1f0d27b64'
down_revision: str | None = 'e835435acea7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

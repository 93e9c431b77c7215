"""matchmaking broadcasts

The organizer's messages to every participant of a live matchmaking session.

Revision ID: 4f0d3cf025da
Revises: d8e2b5a94c17
Create Date: 2026-11-28 22:59:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '4f0d3cf025da'
down_revision: str | None = 'd8e2b5a94c17'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('matchmaking_broadcasts',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_by_user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['sent_by_user_id'], ['users.id'], name=op.f('fk_matchmaking_broadcasts_sent_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_broadcasts_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_broadcasts')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_broadcasts_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('matchmaking_broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_broadcasts_session_id'))

    op.drop_table('matchmaking_broadcasts')

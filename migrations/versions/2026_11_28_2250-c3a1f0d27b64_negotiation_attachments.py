"""negotiation message attachments

Files (images, PDFs) carried by negotiation messages: at most five per message
(``ck_negotiation_attachments_position`` with ``uq_negotiation_attachments_message_id_position``).

Revision ID: c3a1f0d27b64
Revises: e835435acea7
Create Date: 2026-11-28 22:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c3a1f0d27b64'
down_revision: str | None = 'e835435acea7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('negotiation_attachments',
    sa.Column('negotiation_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_org_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('thumbnail_key', sa.String(length=200), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("kind IN ('image', 'pdf')", name=op.f('ck_negotiation_attachments_kind')),
    sa.CheckConstraint('position >= 0 AND position < 5', name=op.f('ck_negotiation_attachments_position')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_negotiation_attachments_size')),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_negotiation_attachments_message_id_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['negotiation_id'], ['negotiations.id'], name=op.f('fk_negotiation_attachments_negotiation_id_negotiations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_org_id'], ['organizations.id'], name=op.f('fk_negotiation_attachments_uploaded_by_org_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_user_id'], ['users.id'], name=op.f('fk_negotiation_attachments_uploaded_by_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_negotiation_attachments')),
    sa.UniqueConstraint('message_id', 'position', name=op.f('uq_negotiation_attachments_message_id_position')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_negotiation_attachments_storage_key')),
    sa.UniqueConstraint('thumbnail_key', name=op.f('uq_negotiation_attachments_thumbnail_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('negotiation_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_negotiation_attachments_negotiation_id'), ['negotiation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('negotiation_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_negotiation_attachments_negotiation_id'))

    op.drop_table('negotiation_attachments')

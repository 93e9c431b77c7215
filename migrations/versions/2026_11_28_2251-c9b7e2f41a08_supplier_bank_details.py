"""supplier bank details and their snapshot on orders

``bank_details`` keeps every version of an organization's bank details (a change inserts
the next ``version``; rows are never updated). ``order_bank_details`` links an order to the
version in force when it was made; RESTRICT keeps that evidence from being deleted. It is a
table of its own because adding a foreign key column to ``orders`` on SQLite would copy and
drop ``orders``, and the drop cascades to every order's lines and milestones.

Revision ID: c9b7e2f41a08
Revises: c3a1f0d27b64
Create Date: 2026-11-28 22:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c9b7e2f41a08'
down_revision: str | None = 'c3a1f0d27b64'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bank_details',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('beneficiary_name', sa.String(length=200), nullable=False),
    sa.Column('bank_name', sa.String(length=200), nullable=False),
    sa.Column('bank_address', sa.Text(), nullable=False),
    sa.Column('account_number', sa.String(length=64), nullable=False),
    sa.Column('swift_bic', sa.String(length=11), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_bank_details_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_bank_details_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_details')),
    sa.UniqueConstraint('organization_id', 'version', name=op.f('uq_bank_details_organization_id_version')),
    sqlite_autoincrement=True
    )
    op.create_table('order_bank_details',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('bank_details_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_details_id'], ['bank_details.id'], name=op.f('fk_order_bank_details_bank_details_id_bank_details'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_bank_details_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('order_id', name=op.f('pk_order_bank_details'))
    )
    with op.batch_alter_table('order_bank_details', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_bank_details_bank_details_id'), ['bank_details_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('order_bank_details', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_bank_details_bank_details_id'))

    op.drop_table('order_bank_details')
    op.drop_table('bank_details')

"""matchmaking sessions, slots, participants, availability, requests, must-meets, meetings,
schedule jobs

Two partial unique indexes carry rules that must hold under races: one open (pending or
accepted) meeting request per buyer-supplier pair, and one queued or running schedule job per
session. A meeting's pair and each participant's slot are unique constraints.

Revision ID: d8e2b5a94c17
Revises: c9b7e2f41a08
Create Date: 2026-11-28 22:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd8e2b5a94c17'
down_revision: str | None = 'c9b7e2f41a08'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('matchmaking_sessions',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('windows', sa.JSON(), nullable=False),
    sa.Column('breaks', sa.JSON(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('max_meetings', sa.Integer(), nullable=False),
    sa.Column('registration_deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('request_quota', sa.Integer(), nullable=False),
    sa.Column('daily_request_cap', sa.Integer(), nullable=False),
    sa.Column('request_ttl_hours', sa.Integer(), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("status IN ('registration', 'scheduling', 'scheduled', 'live', 'finished')", name=op.f('ck_matchmaking_sessions_status')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_matchmaking_sessions_capacity_positive')),
    sa.CheckConstraint('max_meetings > 0', name=op.f('ck_matchmaking_sessions_max_meetings_positive')),
    sa.CheckConstraint('slot_minutes > 0', name=op.f('ck_matchmaking_sessions_slot_minutes_positive')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_matchmaking_sessions_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_matchmaking_sessions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_sessions')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_sessions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_sessions_status'), ['status'], unique=False)

    op.create_table('matchmaking_schedule_jobs',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('phase', sa.String(length=64), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('objective', sa.BigInteger(), nullable=True),
    sa.Column('upper_bound', sa.BigInteger(), nullable=True),
    sa.Column('gap', sa.Float(), nullable=True),
    sa.Column('meetings_count', sa.Integer(), nullable=True),
    sa.Column('unplaced_priority', sa.JSON(), nullable=False),
    sa.Column('stats', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_user_id', sa.Integer(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_matchmaking_schedule_jobs_status')),
    sa.ForeignKeyConstraint(['requested_by_user_id'], ['users.id'], name=op.f('fk_matchmaking_schedule_jobs_requested_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_schedule_jobs_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_schedule_jobs')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_schedule_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_schedule_jobs_session_id'), ['session_id'], unique=False)
        batch_op.create_index('uq_matchmaking_schedule_jobs_active', ['session_id'], unique=True, sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))

    op.create_table('matchmaking_slots',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('slot_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_slots_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'slot_index', name=op.f('pk_matchmaking_slots'))
    )
    op.create_table('matchmaking_participants',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=16), nullable=False),
    sa.Column('booth_id', sa.Integer(), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('max_meetings', sa.Integer(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('hs_codes', sa.JSON(), nullable=False),
    sa.Column('species', sa.JSON(), nullable=False),
    sa.Column('certifications', sa.JSON(), nullable=False),
    sa.Column('incoterms', sa.JSON(), nullable=False),
    sa.Column('product_ids', sa.JSON(), nullable=False),
    sa.Column('yearly_volume', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('volume_unit', sa.String(length=16), nullable=True),
    sa.Column('price_min', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('price_max', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('destination_port', sa.String(length=120), nullable=False),
    sa.Column('destination_market', sa.String(length=2), nullable=True),
    sa.Column('ports', sa.JSON(), nullable=False),
    sa.Column('export_markets', sa.JSON(), nullable=False),
    sa.Column('moq', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('moq_unit', sa.String(length=16), nullable=True),
    sa.Column('monthly_capacity', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('capacity_unit', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('registered_by_user_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("side IN ('buyer', 'supplier')", name=op.f('ck_matchmaking_participants_side')),
    sa.CheckConstraint('max_meetings > 0', name=op.f('ck_matchmaking_participants_max_meetings_positive')),
    sa.ForeignKeyConstraint(['booth_id'], ['booths.id'], name=op.f('fk_matchmaking_participants_booth_id_booths'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_matchmaking_participants_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_user_id'], ['users.id'], name=op.f('fk_matchmaking_participants_registered_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_participants_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_participants')),
    sa.UniqueConstraint('session_id', 'organization_id', name=op.f('uq_matchmaking_participants_session_id_organization_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_participants_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_participants_session_id'), ['session_id'], unique=False)

    op.create_table('matchmaking_availability',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_matchmaking_availability_ends_after_start')),
    sa.ForeignKeyConstraint(['participant_id'], ['matchmaking_participants.id'], name=op.f('fk_matchmaking_availability_participant_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_availability')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_availability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_availability_participant_id'), ['participant_id'], unique=False)

    op.create_table('matchmaking_meetings',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('slot_index', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('table_number', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('buyer_checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('supplier_checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('buyer_rating', sa.Integer(), nullable=True),
    sa.Column('supplier_rating', sa.Integer(), nullable=True),
    sa.Column('buyer_outcome', sa.String(length=32), nullable=True),
    sa.Column('supplier_outcome', sa.String(length=32), nullable=True),
    sa.Column('buyer_note', sa.Text(), nullable=False),
    sa.Column('supplier_note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("source IN ('scheduler', 'organizer')", name=op.f('ck_matchmaking_meetings_source')),
    sa.CheckConstraint("status IN ('scheduled', 'checked_in', 'in_progress', 'done', 'no_show')", name=op.f('ck_matchmaking_meetings_status')),
    sa.CheckConstraint('buyer_rating IS NULL OR buyer_rating BETWEEN 1 AND 5', name=op.f('ck_matchmaking_meetings_buyer_rating')),
    sa.CheckConstraint('supplier_rating IS NULL OR supplier_rating BETWEEN 1 AND 5', name=op.f('ck_matchmaking_meetings_supplier_rating')),
    sa.ForeignKeyConstraint(['buyer_id'], ['matchmaking_participants.id'], name=op.f('fk_matchmaking_meetings_buyer_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_meetings_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['matchmaking_participants.id'], name=op.f('fk_matchmaking_meetings_supplier_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_meetings')),
    sa.UniqueConstraint('buyer_id', 'slot_index', name=op.f('uq_matchmaking_meetings_buyer_id_slot_index')),
    sa.UniqueConstraint('buyer_id', 'supplier_id', name=op.f('uq_matchmaking_meetings_buyer_id_supplier_id')),
    sa.UniqueConstraint('session_id', 'slot_index', 'table_number', name=op.f('uq_matchmaking_meetings_session_id_slot_index_table_number')),
    sa.UniqueConstraint('supplier_id', 'slot_index', name=op.f('uq_matchmaking_meetings_supplier_id_slot_index')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_meetings_session_id'), ['session_id'], unique=False)

    op.create_table('matchmaking_must_meets',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['matchmaking_participants.id'], name=op.f('fk_matchmaking_must_meets_buyer_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_matchmaking_must_meets_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_matchmaking_must_meets_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['matchmaking_participants.id'], name=op.f('fk_matchmaking_must_meets_supplier_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matchmaking_must_meets')),
    sa.UniqueConstraint('buyer_id', 'supplier_id', name=op.f('uq_matchmaking_must_meets_buyer_id_supplier_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('matchmaking_must_meets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchmaking_must_meets_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchmaking_must_meets_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('meeting_requests',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('sender_side', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_user_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint("sender_side IN ('buyer', 'supplier')", name=op.f('ck_meeting_requests_sender_side')),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired')", name=op.f('ck_meeting_requests_status')),
    sa.ForeignKeyConstraint(['buyer_id'], ['matchmaking_participants.id'], name=op.f('fk_meeting_requests_buyer_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_meeting_requests_created_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_user_id'], ['users.id'], name=op.f('fk_meeting_requests_decided_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['matchmaking_sessions.id'], name=op.f('fk_meeting_requests_session_id_matchmaking_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['matchmaking_participants.id'], name=op.f('fk_meeting_requests_supplier_id_matchmaking_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_requests')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_requests_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index('uq_meeting_requests_open_pair', ['buyer_id', 'supplier_id'], unique=True, sqlite_where=sa.text("status IN ('pending', 'accepted')"), postgresql_where=sa.text("status IN ('pending', 'accepted')"))


def downgrade() -> None:
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_meeting_requests_open_pair', sqlite_where=sa.text("status IN ('pending', 'accepted')"), postgresql_where=sa.text("status IN ('pending', 'accepted')"))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_session_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_buyer_id'))

    op.drop_table('meeting_requests')
    with op.batch_alter_table('matchmaking_must_meets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_must_meets_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_must_meets_session_id'))

    op.drop_table('matchmaking_must_meets')
    with op.batch_alter_table('matchmaking_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_meetings_session_id'))

    op.drop_table('matchmaking_meetings')
    with op.batch_alter_table('matchmaking_availability', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_availability_participant_id'))

    op.drop_table('matchmaking_availability')
    with op.batch_alter_table('matchmaking_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_participants_session_id'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_participants_organization_id'))

    op.drop_table('matchmaking_participants')
    op.drop_table('matchmaking_slots')
    with op.batch_alter_table('matchmaking_schedule_jobs', schema=None) as batch_op:
        batch_op.drop_index('uq_matchmaking_schedule_jobs_active', sqlite_where=sa.text("status IN ('queued', 'running')"), postgresql_where=sa.text("status IN ('queued', 'running')"))
        batch_op.drop_index(batch_op.f('ix_matchmaking_schedule_jobs_session_id'))

    op.drop_table('matchmaking_schedule_jobs')
    with op.batch_alter_table('matchmaking_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchmaking_sessions_status'))
        batch_op.drop_index(batch_op.f('ix_matchmaking_sessions_event_id'))

    op.drop_table('matchmaking_sessions')

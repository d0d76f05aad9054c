"""Sensory rooms (opening hours, closures) and bookings with one row per occurrence.

On PostgreSQL the database itself refuses two overlapping occurrences that hold the same room: an
exclusion constraint over (room, [starts_at, blocked_until)) with btree_gist. SQLite has no such
constraint; there the per-room write lock in bibnet.tenants.bookings.conflicts serialises the check.

Revision ID: 688407bdb397
Revises: ee582277fc25
Create Date: 2026-11-22 02:32:50.664239

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '688407bdb397'
down_revision = 'ee582277fc25'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('library', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('features', sa.JSON(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=True),
    sa.Column('buffer_minutes', sa.Integer(), nullable=False),
    sa.Column('min_notice_hours', sa.Integer(), nullable=False),
    sa.Column('max_advance_days', sa.Integer(), nullable=False),
    sa.Column('max_duration_minutes', sa.Integer(), nullable=False),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('calendar_token', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('buffer_minutes BETWEEN 0 AND 240', name=op.f('ck_room_buffer_range')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_room_capacity_positive')),
    sa.CheckConstraint('max_advance_days BETWEEN 1 AND 366', name=op.f('ck_room_advance_range')),
    sa.CheckConstraint('max_duration_minutes BETWEEN 15 AND 720', name=op.f('ck_room_duration_range')),
    sa.CheckConstraint('min_notice_hours BETWEEN 0 AND 720', name=op.f('ck_room_notice_range')),
    sa.ForeignKeyConstraint(['photo_id'], ['stored_file.id'], name=op.f('fk_room_photo_id_stored_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_room_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
    sa.UniqueConstraint('calendar_token', name=op.f('uq_room_calendar_token')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_room_tenant_id_name'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.Enum('sensory_session', 'club', 'training', 'consultation', 'event', 'other', name='activity', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('responsible_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('organiser_name', sa.String(length=120), nullable=True),
    sa.Column('organiser_contact', sa.String(length=200), nullable=True),
    sa.Column('contact_erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expected_seniors', sa.Integer(), nullable=False),
    sa.Column('expected_physical', sa.Integer(), nullable=False),
    sa.Column('expected_psychosocial', sa.Integer(), nullable=False),
    sa.Column('expected_intellectual', sa.Integer(), nullable=False),
    sa.Column('expected_visual', sa.Integer(), nullable=False),
    sa.Column('expected_hearing', sa.Integer(), nullable=False),
    sa.Column('expected_other', sa.Integer(), nullable=False),
    sa.Column('expected_carers', sa.Integer(), nullable=False),
    sa.Column('internal_note', sa.Text(), nullable=False),
    sa.Column('frequency', sa.Enum('once', 'daily', 'weekly', 'monthly', name='frequency', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('interval', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.String(length=20), nullable=False),
    sa.Column('first_date', sa.Date(), nullable=False),
    sa.Column('last_date', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('expected_carers >= 0', name=op.f('ck_booking_expected_carers_not_negative')),
    sa.CheckConstraint('expected_hearing >= 0', name=op.f('ck_booking_expected_hearing_not_negative')),
    sa.CheckConstraint('expected_intellectual >= 0', name=op.f('ck_booking_expected_intellectual_not_negative')),
    sa.CheckConstraint('expected_other >= 0', name=op.f('ck_booking_expected_other_not_negative')),
    sa.CheckConstraint('expected_physical >= 0', name=op.f('ck_booking_expected_physical_not_negative')),
    sa.CheckConstraint('expected_psychosocial >= 0', name=op.f('ck_booking_expected_psychosocial_not_negative')),
    sa.CheckConstraint('expected_seniors >= 0', name=op.f('ck_booking_expected_seniors_not_negative')),
    sa.CheckConstraint('expected_visual >= 0', name=op.f('ck_booking_expected_visual_not_negative')),
    sa.CheckConstraint('interval >= 1', name=op.f('ck_booking_interval_positive')),
    sa.CheckConstraint('start_time < end_time', name=op.f('ck_booking_times_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_booking_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['responsible_id'], ['user.id'], name=op.f('fk_booking_responsible_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_booking_room_id_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_booking_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_responsible_id'), ['responsible_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('starts_on <= ends_on', name=op.f('ck_closure_dates_in_order')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_closure_room_id_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_closure_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure'))
    )
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closure_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_closure_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('opens < closes', name=op.f('ck_opening_hours_opens_before_closes')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_opening_hours_weekday_range')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_opening_hours_room_id_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_opening_hours_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_hours'))
    )
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_hours_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_opening_hours_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('occurrence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('original_starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('requested', 'confirmed', 'completed', 'no_show', 'cancelled', 'rejected', name='status', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('status_reason', sa.String(length=300), nullable=False),
    sa.Column('attended_seniors', sa.Integer(), nullable=True),
    sa.Column('attended_physical', sa.Integer(), nullable=True),
    sa.Column('attended_psychosocial', sa.Integer(), nullable=True),
    sa.Column('attended_intellectual', sa.Integer(), nullable=True),
    sa.Column('attended_visual', sa.Integer(), nullable=True),
    sa.Column('attended_hearing', sa.Integer(), nullable=True),
    sa.Column('attended_other', sa.Integer(), nullable=True),
    sa.Column('attended_carers', sa.Integer(), nullable=True),
    sa.Column('attendance_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('attended_carers >= 0', name=op.f('ck_occurrence_attended_carers_not_negative')),
    sa.CheckConstraint('attended_hearing >= 0', name=op.f('ck_occurrence_attended_hearing_not_negative')),
    sa.CheckConstraint('attended_intellectual >= 0', name=op.f('ck_occurrence_attended_intellectual_not_negative')),
    sa.CheckConstraint('attended_other >= 0', name=op.f('ck_occurrence_attended_other_not_negative')),
    sa.CheckConstraint('attended_physical >= 0', name=op.f('ck_occurrence_attended_physical_not_negative')),
    sa.CheckConstraint('attended_psychosocial >= 0', name=op.f('ck_occurrence_attended_psychosocial_not_negative')),
    sa.CheckConstraint('attended_seniors >= 0', name=op.f('ck_occurrence_attended_seniors_not_negative')),
    sa.CheckConstraint('attended_visual >= 0', name=op.f('ck_occurrence_attended_visual_not_negative')),
    sa.CheckConstraint('ends_at <= blocked_until', name=op.f('ck_occurrence_buffer_after_end')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_occurrence_times_in_order')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_occurrence_booking_id_booking'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_occurrence_room_id_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_occurrence_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occurrence'))
    )
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occurrence_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_occurrence_room_starts_at', ['room_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_occurrence_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_occurrence_tenant_starts_at', ['tenant_id', 'starts_at'], unique=False)


    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE occurrence ADD CONSTRAINT ex_occurrence_room_time EXCLUDE USING gist "
            "(room_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) "
            "WHERE (status IN ('confirmed', 'completed', 'no_show'))"
        )


def downgrade():
    with op.batch_alter_table('occurrence', schema=None) as batch_op:
        batch_op.drop_index('ix_occurrence_tenant_starts_at')
        batch_op.drop_index(batch_op.f('ix_occurrence_tenant_id'))
        batch_op.drop_index('ix_occurrence_room_starts_at')
        batch_op.drop_index(batch_op.f('ix_occurrence_booking_id'))

    op.drop_table('occurrence')
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_hours_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_opening_hours_room_id'))

    op.drop_table('opening_hours')
    with op.batch_alter_table('closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closure_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_closure_room_id'))

    op.drop_table('closure')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_booking_room_id'))
        batch_op.drop_index(batch_op.f('ix_booking_responsible_id'))

    op.drop_table('booking')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_tenant_id'))

    op.drop_table('room')

"""directory: guided first visits at marked clubs; marks: retired criteria

A request for a guided first visit (the person's details kept until `purge_after`, then blanked;
the counts stay for the club's report), and `mark_criterion.retired_at` (a criterion an assessment
used is retired, not deleted).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:21:13.299197

"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('guided_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('meet', sa.String(length=6), nullable=False),
    sa.Column('may_count', sa.Boolean(), nullable=False),
    sa.Column('starts_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('answer_note', sa.Text(), nullable=False),
    sa.Column('answered_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('came', sa.Boolean(), nullable=True),
    sa.Column('came_back', sa.Boolean(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('purge_after', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('purged_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("meet IN ('lead', 'buddy', 'either')", name=op.f('ck_guided_visit_meet_known')),
    sa.CheckConstraint("state IN ('asked', 'accepted', 'offered')", name=op.f('ck_guided_visit_state_known')),
    sa.CheckConstraint('came_back IS NULL OR came', name=op.f('ck_guided_visit_came_back_needs_came')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_guided_visit_ends_after_start')),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_guided_visit_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_guided_visit_answered_by_id_user_account')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_guided_visit_partner_id_partner')),
    sa.ForeignKeyConstraint(['requester_id'], ['user_account.id'], name=op.f('fk_guided_visit_requester_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guided_visit')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_guided_visit_token_hash'))
    )
    with op.batch_alter_table('guided_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guided_visit_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guided_visit_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_guided_visit_purge_after'), ['purge_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_guided_visit_requester_id'), ['requester_id'], unique=False)

    with op.batch_alter_table('mark_criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('mark_criterion', schema=None) as batch_op:
        batch_op.drop_column('retired_at')

    with op.batch_alter_table('guided_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guided_visit_requester_id'))
        batch_op.drop_index(batch_op.f('ix_guided_visit_purge_after'))
        batch_op.drop_index(batch_op.f('ix_guided_visit_partner_id'))
        batch_op.drop_index(batch_op.f('ix_guided_visit_activity_id'))

    op.drop_table('guided_visit')

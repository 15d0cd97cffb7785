"""partners: the mental-health-friendly mark

A scheme per locality with criteria and an award length; partners' applications with evidence per
criterion, assessed and awarded by coordinators (`valid_until`: when the mark lapses).

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-05 02:01:53.303601

"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mark_scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('locality_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('mark_text', sa.Text(), nullable=False),
    sa.Column('award_months', sa.Integer(), nullable=False),
    sa.Column('created_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('award_months between 1 and 60', name=op.f('ck_mark_scheme_award_months_range')),
    sa.ForeignKeyConstraint(['locality_id'], ['locality.id'], name=op.f('fk_mark_scheme_locality_id_locality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_scheme')),
    sa.UniqueConstraint('locality_id', name=op.f('uq_mark_scheme_locality_id'))
    )
    op.create_table('mark_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('submitted_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('awarded_until', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('missing', sa.Text(), nullable=False),
    sa.CheckConstraint("state IN ('submitted', 'awarded', 'not_yet')", name=op.f('ck_mark_application_state_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_mark_application_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_mark_application_partner_id_partner')),
    sa.ForeignKeyConstraint(['scheme_id'], ['mark_scheme.id'], name=op.f('fk_mark_application_scheme_id_mark_scheme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_application'))
    )
    with op.batch_alter_table('mark_application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_application_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_application_scheme_id'), ['scheme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_application_valid_until'), ['valid_until'], unique=False)

    op.create_table('mark_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('minimum', sa.Integer(), nullable=False),
    sa.CheckConstraint('minimum >= 1', name=op.f('ck_mark_criterion_minimum_positive')),
    sa.ForeignKeyConstraint(['scheme_id'], ['mark_scheme.id'], name=op.f('fk_mark_criterion_scheme_id_mark_scheme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_criterion'))
    )
    with op.batch_alter_table('mark_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_criterion_scheme_id'), ['scheme_id'], unique=False)

    op.create_table('mark_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint('expires_on IS NULL OR issued_on IS NULL OR expires_on > issued_on', name=op.f('ck_mark_evidence_expiry_after_issue')),
    sa.ForeignKeyConstraint(['application_id'], ['mark_application.id'], name=op.f('fk_mark_evidence_application_id_mark_application')),
    sa.ForeignKeyConstraint(['criterion_id'], ['mark_criterion.id'], name=op.f('fk_mark_evidence_criterion_id_mark_criterion')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_evidence')),
    sa.UniqueConstraint('application_id', 'criterion_id', name=op.f('uq_mark_evidence_application_id_criterion_id'))
    )


def downgrade():
    op.drop_table('mark_evidence')
    with op.batch_alter_table('mark_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_criterion_scheme_id'))

    op.drop_table('mark_criterion')
    with op.batch_alter_table('mark_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_application_valid_until'))
        batch_op.drop_index(batch_op.f('ix_mark_application_scheme_id'))
        batch_op.drop_index(batch_op.f('ix_mark_application_partner_id'))

    op.drop_table('mark_application')
    op.drop_table('mark_scheme')

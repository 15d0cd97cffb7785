"""collectives: calls for bids

A collective's call for bids (what is wanted, where, for whom, up to how much, until when; closed
early with a reason), and the call a bid answers.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 21:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_for_bids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collective_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('wanted', sa.Text(), nullable=False),
    sa.Column('districts', sa.String(length=200), nullable=False),
    sa.Column('category_code', sa.String(length=60), nullable=False),
    sa.Column('category_label', sa.String(length=120), nullable=False),
    sa.Column('audience', sa.String(length=300), nullable=False),
    sa.Column('upper_pence', sa.BigInteger(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_answered_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_early_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_early_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_early_reason', sa.Text(), nullable=False),
    sa.CheckConstraint('upper_pence > 0 and upper_pence <= 1000000000',
                       name=op.f('ck_call_for_bids_sane_upper_amount')),
    sa.ForeignKeyConstraint(['closed_early_by_id'], ['user_account.id'],
                            name=op.f('fk_call_for_bids_closed_early_by_id_user_account')),
    sa.ForeignKeyConstraint(['collective_id'], ['collective.id'], name=op.f('fk_call_for_bids_collective_id_collective')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                            name=op.f('fk_call_for_bids_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_for_bids'))
    )
    with op.batch_alter_table('call_for_bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_for_bids_closes_on'), ['closes_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_for_bids_collective_id'), ['collective_id'], unique=False)

    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_bid_call_id'), ['call_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_bid_call_id_call_for_bids'), 'call_for_bids', ['call_id'], ['id'])


def downgrade():
    with op.batch_alter_table('bid', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_bid_call_id_call_for_bids'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_bid_call_id'))
        batch_op.drop_column('call_id')

    with op.batch_alter_table('call_for_bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_for_bids_collective_id'))
        batch_op.drop_index(batch_op.f('ix_call_for_bids_closes_on'))

    op.drop_table('call_for_bids')

"""sign-in throttle: atomic counts per account and address, address, and account; known addresses

The sliding log of failures (login_failure) was read, then written: workers reading at the same moment
each let a guess through. Counts that an upsert raises only while under the limit cannot overshoot,
and the (account, address) pair a person signs in from exempts them from limits a stranger can reach
(brokerage/accounts/throttle.py). The old rows lived 15 minutes and are not carried over.

Revision ID: 0007_login_throttle
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types

revision = '0007_login_throttle'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('failures >= 0', name=op.f('ck_login_throttle_failures_not_negative')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)

    op.create_table('login_known_address',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('last_success_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_known_address'))
    )
    with op.batch_alter_table('login_known_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_known_address_last_success_at'), ['last_success_at'], unique=False)

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_key_at')
    op.drop_table('login_failure')


def downgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index('ix_login_failure_key_at', ['key', 'at'], unique=False)

    with op.batch_alter_table('login_known_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_known_address_last_success_at'))
    op.drop_table('login_known_address')
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_last_failure_at'))
    op.drop_table('login_throttle')

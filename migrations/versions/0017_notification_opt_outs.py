"""notifications: the kinds a contact without an account stopped by the link in an email

A partner's named contact has no account page to choose on, so the unsubscribe link every
non-security email carries stops that kind for their address (lower case).

Revision ID: 0017
Revises: 0016
"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_opt_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('created_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_opt_out')),
    sa.UniqueConstraint('email', 'kind', name='one_opt_out_per_kind')
    )


def downgrade():
    op.drop_table('notification_opt_out')

"""notifications: delivery (a "sending" state, the one-click unsubscribe link) and the digest time

A worker marks a message "sending" before handing it to the mail server, so one that dies mid-send
leaves it "may have been sent" rather than sending it twice; notification_setting holds the time
the daily digest goes.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OLD_STATES = "state IN ('pending', 'digest', 'sent', 'failed', 'no_address')"
NEW_STATES = "state IN ('pending', 'sending', 'digest', 'sent', 'failed', 'no_address')"


def upgrade():
    op.create_table('notification_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest_time', sa.String(length=5), nullable=False),
    sa.Column('last_digest_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('length(digest_time) = 5', name=op.f('ck_notification_setting_digest_time_like_08_00')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_setting'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=True))
        batch_op.drop_constraint(op.f('ck_outbox_message_outbox_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_message_outbox_state_known'), NEW_STATES)


def downgrade():
    op.execute("UPDATE outbox_message SET state = 'pending' WHERE state = 'sending'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_message_outbox_state_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_message_outbox_state_known'), OLD_STATES)
        batch_op.drop_column('unsubscribe_url')
    op.drop_table('notification_setting')

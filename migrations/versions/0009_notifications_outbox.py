"""notifications: the outbox and each person's choice per kind of message

Messages are written to the outbox in the same transaction as the change that causes them and
delivered by a worker (brokerage/notifications/); the key makes an occasion mail a person once.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('delivery', sa.String(length=12), nullable=False),
    sa.CheckConstraint("delivery IN ('immediately', 'daily', 'never')", name=op.f('ck_notification_choice_notification_choice_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_choice_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_choice')),
    sa.UniqueConstraint('user_id', 'kind', name='one_choice_per_kind')
    )
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('occasion', sa.String(length=120), nullable=False),
    sa.Column('recipient_user_id', sa.Integer(), nullable=True),
    sa.Column('recipient_email', sa.String(length=254), nullable=True),
    sa.Column('recipient_name', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'digest', 'sent', 'failed', 'no_address')", name=op.f('ck_outbox_message_outbox_state_known')),
    sa.CheckConstraint('tries >= 0', name=op.f('ck_outbox_message_outbox_tries_not_negative')),
    sa.ForeignKeyConstraint(['recipient_user_id'], ['user_account.id'], name=op.f('fk_outbox_message_recipient_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_message_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['state', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_recipient_user_id'), ['recipient_user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_recipient_user_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_kind'))
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox_message')
    op.drop_table('notification_choice')

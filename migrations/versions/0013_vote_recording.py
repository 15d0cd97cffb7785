"""collectives: who records votes for others (a handover when the chair has a connection),
answers to the connection question recorded on a member's behalf, with the reason, and a
partner's answers to a deferred listing's questions

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 01:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorder_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answers', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('answered_at', brokerage.core.data.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_poll_recorder_id_user_account'), 'user_account',
                                    ['recorder_id'], ['id'])
    with op.batch_alter_table('poll_elector', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('declaration_reason', sa.String(length=500), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_poll_elector_declared_by_id_user_account'), 'user_account',
                                    ['declared_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('poll_elector', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_poll_elector_declared_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('declaration_reason')
        batch_op.drop_column('declared_by_id')
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_poll_recorder_id_user_account'), type_='foreignkey')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answers')
        batch_op.drop_column('recorder_id')

"""kept submissions: what people typed into a form that could not be saved

A form sent after the session ended or the page expired is kept for two hours, to fill the
form again when the person comes back to it (brokerage/core/input/kept_forms.py).

Revision ID: 0008
Revises: 0007_login_throttle
"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


revision = '0008'
down_revision = '0007_login_throttle'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('browser_key_hash', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=2000), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('kept_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_kept_submission_user_id_user_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_submission'))
    )
    with op.batch_alter_table('kept_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_submission_browser_key_hash'), ['browser_key_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_submission_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_submission_expires_at'))
        batch_op.drop_index(batch_op.f('ix_kept_submission_browser_key_hash'))
    op.drop_table('kept_submission')

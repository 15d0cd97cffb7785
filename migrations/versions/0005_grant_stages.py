"""grant stages after approval: agreement, end-of-grant report, closed

The bid's known states gain agreement, reported and closed; the grant agreement and the
end-of-grant report have a table each.

Revision ID: 0005
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_STATES = ('draft', 'submitted', 'screening', 'returned', 'ready_for_vote', 'withdrawn', 'awaiting_funds',
              'open_for_vote', 'deferred', 'approved', 'not_approved', 'paid')
NEW_STATES = OLD_STATES[:-1] + ('agreement', 'paid', 'reported', 'closed')


def _states(states) -> str:
    return "status in (" + ", ".join(f"'{state}'" for state in states) + ")"


def _replace_known_status(states) -> None:
    with op.batch_alter_table('bid', schema=None) as batch_op:  # SQLite rebuilds the table; others ALTER it
        batch_op.drop_constraint(op.f('ck_bid_known_status'), type_='check')
        batch_op.create_check_constraint('known_status', _states(states))


def upgrade():
    _replace_known_status(NEW_STATES)
    op.create_table('grant_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signed_by', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("signed_by <> ''", name=op.f('ck_grant_agreement_signatory_given')),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_grant_agreement_award_id_award')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'],
                            name=op.f('fk_grant_agreement_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_agreement')),
    sa.UniqueConstraint('award_id', name=op.f('uq_grant_agreement_award_id'))
    )
    op.create_table('grant_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('what_happened', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("participants between 0 and 100000", name=op.f('ck_grant_report_sane_participants')),
    sa.CheckConstraint("what_happened <> ''", name=op.f('ck_grant_report_report_given')),
    sa.ForeignKeyConstraint(['award_id'], ['award.id'], name=op.f('fk_grant_report_award_id_award')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'],
                            name=op.f('fk_grant_report_submitted_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_report')),
    sa.UniqueConstraint('award_id', name=op.f('uq_grant_report_award_id'))
    )


def downgrade():
    op.drop_table('grant_report')
    op.drop_table('grant_agreement')
    op.execute("update bid set status = 'approved' where status = 'agreement'")
    op.execute("update bid set status = 'paid' where status in ('reported', 'closed')")
    _replace_known_status(OLD_STATES)

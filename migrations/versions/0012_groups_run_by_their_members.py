"""groups: accounts for the people who run a group, expenses withdrawn or cancelled with a reason,
a quorum a small group can meet (at least 3), champions' offers to help a group or a partner

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 01:50:00

"""
from alembic import op
import sqlalchemy as sa

import brokerage.core.data.types


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

ROLES_BEFORE = "role in ('coordinator', 'collective_member', 'champion', 'partner_contact')"
ROLES_AFTER = "role in ('coordinator', 'collective_member', 'champion', 'partner_contact', 'group_organiser')"
EXPENSE_BEFORE = "status in ('submitted', 'approved', 'paid')"
EXPENSE_AFTER = "status in ('submitted', 'approved', 'paid', 'withdrawn', 'cancelled')"
QUORUM_BEFORE = "quorum_minimum >= 5 and quorum_fraction between 1 and 3"
QUORUM_AFTER = "quorum_minimum >= 3 and quorum_fraction between 1 and 3"
DATES_BEFORE = "status in ('pending', 'rejected') or (starts_on is not null and expires_on is not null)"
DATES_AFTER = "status in ('pending', 'rejected', 'expired') or (starts_on is not null and expires_on is not null)"
ENDED_WITH_REASON = "status not in ('withdrawn', 'cancelled') or (ended_at is not null and end_reason != '')"


def upgrade():
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_role_known_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_role_known_role'), ROLES_AFTER)

    with op.batch_alter_table('constitution_draft', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_constitution_draft_quorum_minimums'), type_='check')
        batch_op.create_check_constraint(op.f('ck_constitution_draft_quorum_minimums'), QUORUM_AFTER)

    with op.batch_alter_table('group_hosting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_group_hosting_agreement_has_dates'), type_='check')
        batch_op.create_check_constraint(op.f('ck_group_hosting_agreement_has_dates'), DATES_AFTER)

    with op.batch_alter_table('group_expense', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.String(length=500), nullable=False, server_default=''))
        batch_op.drop_constraint(op.f('ck_group_expense_known_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_group_expense_known_status'), EXPENSE_AFTER)
        batch_op.create_check_constraint(op.f('ck_group_expense_ended_with_reason'), ENDED_WITH_REASON)
    with op.batch_alter_table('group_expense', schema=None) as batch_op:
        batch_op.alter_column('end_reason', server_default=None)

    op.create_table('group_expense_cancellation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expense_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason != ''", name=op.f('ck_group_expense_cancellation_has_reason')),
    sa.ForeignKeyConstraint(['expense_id'], ['group_expense.id'], name=op.f('fk_group_expense_cancellation_expense_id_group_expense'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['group_person.id'], name=op.f('fk_group_expense_cancellation_officer_id_group_person')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_group_expense_cancellation_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_expense_cancellation')),
    sa.UniqueConstraint('expense_id', 'officer_id', name=op.f('uq_group_expense_cancellation_expense_id_officer_id'))
    )
    op.create_table('partner_help_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_partner_help_offer_partner_id_partner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_partner_help_offer_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_help_offer')),
    sa.UniqueConstraint('partner_id', 'user_id', name=op.f('uq_partner_help_offer_partner_id_user_id'))
    )
    with op.batch_alter_table('partner_help_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_help_offer_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_help_offer_user_id'), ['user_id'], unique=False)

    op.create_table('group_help_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', brokerage.core.data.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['peer_group.id'], name=op.f('fk_group_help_offer_group_id_peer_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_group_help_offer_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_help_offer')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_group_help_offer_group_id_user_id'))
    )
    with op.batch_alter_table('group_help_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_help_offer_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_help_offer_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('group_expense_cancellation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_expense_cancellation_expense_id'), ['expense_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_expense_cancellation_officer_id'), ['officer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partner_help_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_help_offer_user_id'))
        batch_op.drop_index(batch_op.f('ix_partner_help_offer_partner_id'))
    op.drop_table('partner_help_offer')

    with op.batch_alter_table('group_help_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_help_offer_user_id'))
        batch_op.drop_index(batch_op.f('ix_group_help_offer_group_id'))
    op.drop_table('group_help_offer')

    with op.batch_alter_table('group_expense_cancellation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_expense_cancellation_officer_id'))
        batch_op.drop_index(batch_op.f('ix_group_expense_cancellation_expense_id'))
    op.drop_table('group_expense_cancellation')

    with op.batch_alter_table('group_expense', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_group_expense_ended_with_reason'), type_='check')
        batch_op.drop_constraint(op.f('ck_group_expense_known_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_group_expense_known_status'), EXPENSE_BEFORE)
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_at')

    with op.batch_alter_table('group_hosting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_group_hosting_agreement_has_dates'), type_='check')
        batch_op.create_check_constraint(op.f('ck_group_hosting_agreement_has_dates'), DATES_BEFORE)

    with op.batch_alter_table('constitution_draft', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_constitution_draft_quorum_minimums'), type_='check')
        batch_op.create_check_constraint(op.f('ck_constitution_draft_quorum_minimums'), QUORUM_BEFORE)

    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_role_known_role'), type_='check')
        batch_op.create_check_constraint(op.f('ck_user_role_known_role'), ROLES_BEFORE)

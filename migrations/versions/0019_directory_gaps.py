"""directory: counts of the searches that found nothing (for the gaps page)

One row per month, postcode district, category, day and time-of-day filter and known word (or
none, or "other words"), with how many searches found nothing: never a full postcode, an
address, an IP or what was typed. Kept 12 months (`flask directory purge-search-misses`).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_miss',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('district', sa.String(length=4), nullable=False),
    sa.Column('category', sa.String(length=60), nullable=False),
    sa.Column('days', sa.String(length=13), nullable=False),
    sa.Column('times', sa.String(length=30), nullable=False),
    sa.Column('words', sa.String(length=80), nullable=False),
    sa.Column('searches', sa.Integer(), nullable=False),
    sa.CheckConstraint('searches > 0', name=op.f('ck_search_miss_searches_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_miss')),
    sa.UniqueConstraint('month', 'district', 'category', 'days', 'times', 'words',
                        name=op.f('uq_search_miss_month_district_category_days_times_words'))
    )
    with op.batch_alter_table('search_miss', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_miss_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_miss_month'), ['month'], unique=False)


def downgrade():
    with op.batch_alter_table('search_miss', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_miss_month'))
        batch_op.drop_index(batch_op.f('ix_search_miss_district'))

    op.drop_table('search_miss')

"""search term weights: where in a listing each term was found, for best matches first

A match in the title or a category outranks one in the description, which outranks one in the
provider's name (brokerage/directory/search/terms.py). The weight joins the term index so that
"these words near here, best first" still reads that one index; existing activities are
reindexed here by the application's own code, so that they are ranked exactly as new ones are.

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa

from brokerage.directory.search.index import reindex_activities

BATCH = 500
OLD_COLUMNS = ['term', 'search_band', 'longitude', 'latitude', 'listed', 'last_checked_on', 'activity_id']


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity_search_term', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weight', sa.SmallInteger(), server_default='0', nullable=False))
        batch_op.drop_index('ix_activity_search_term_place')
        batch_op.create_index('ix_activity_search_term_place', [*OLD_COLUMNS, 'weight'], unique=False)
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM activity ORDER BY id"))]
    for start in range(0, len(ids), BATCH):
        reindex_activities(connection, ids[start:start + BATCH])


def downgrade():
    with op.batch_alter_table('activity_search_term', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_search_term_place')
        batch_op.create_index('ix_activity_search_term_place', OLD_COLUMNS, unique=False)
        batch_op.drop_column('weight')

"""the answer an outbox message carries (kind and sources, for clients that show them)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: messages that are not answers (and every row already there) carry none.
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_column('answer')

"""text read from attachments (OCR, voice transcripts)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults so that the rows already there get "" (not read) without a rewrite.
    with op.batch_alter_table('blockerattachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extraction', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('extracted_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('extracted_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_blockerattachment_extraction'), ['extraction'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('blockerattachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blockerattachment_extraction'))
        batch_op.drop_column('extracted_at')
        batch_op.drop_column('extracted_text')
        batch_op.drop_column('extraction')

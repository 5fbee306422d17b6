"""the authority map: transfer clauses of decrees dividing authority, and the provisions they name

Two new tables only, filled at ingest (re-ingesting the decrees fills them for a database in
service); existing rows are untouched.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 02:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('authoritytransfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('decree_number', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('article', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('clause', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('point', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('article_title', sa.Text(), nullable=False),
    sa.Column('task', sa.Text(), nullable=False),
    sa.Column('provision', sa.Text(), nullable=False),
    sa.Column('holder', sa.Text(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('condition', sa.Text(), nullable=False),
    sa.Column('former_holder', sa.Text(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('authoritytransfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authoritytransfer_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_authoritytransfer_level'), ['level'], unique=False)

    op.create_table('authorityreference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('law', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('law_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('article', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('clause', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('point', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['transfer_id'], ['authoritytransfer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('authorityreference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authorityreference_article'), ['article'], unique=False)
        batch_op.create_index(batch_op.f('ix_authorityreference_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_authorityreference_law_key'), ['law_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_authorityreference_transfer_id'), ['transfer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('authorityreference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authorityreference_transfer_id'))
        batch_op.drop_index(batch_op.f('ix_authorityreference_law_key'))
        batch_op.drop_index(batch_op.f('ix_authorityreference_document_id'))
        batch_op.drop_index(batch_op.f('ix_authorityreference_article'))
    op.drop_table('authorityreference')
    with op.batch_alter_table('authoritytransfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authoritytransfer_level'))
        batch_op.drop_index(batch_op.f('ix_authoritytransfer_document_id'))
    op.drop_table('authoritytransfer')

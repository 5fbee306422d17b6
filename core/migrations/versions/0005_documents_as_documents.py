"""documents as documents: validity dates, source link, article-level status, chunk origin;
per-article rows of `{id, title, text}` corpora folded into one document per law

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 02:30:00

Before this revision every line of a JSONL corpus was its own document (source
"file.jsonl#Luật Cư trú::20"). The upgrade folds the lines of one law (the id before "::")
into the document of its smallest id, renamed "file.jsonl#Luật Cư trú": the chunks move to
it and keep their article's corpus id in `chunk.record_id`; an article whose status differed
from the law's (the status most of its articles had) keeps it in `document.article_status`.
The folded document forgets its file fingerprint, so the next ingest re-reads the file. The
downgrade drops the columns; it does not split the laws again (a re-ingest does).
"""
from collections import Counter, defaultdict

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('article_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('effective_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('effective_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('replaced_by', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('source_url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('article_status', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('chunk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('origin_number', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('origin_type', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('origin_article', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('origin_title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('origin_effective_from', sa.Date(), nullable=True))
    _fold_corpus_lines(op.get_bind())


_document = sa.table(
    'document',
    sa.column('id', sa.Integer),
    sa.column('source', sa.String),
    sa.column('status', sa.Enum('in_force', 'amended', 'expired', name='documentstatus', create_type=False)),
    sa.column('chunk_count', sa.Integer),
    sa.column('article_count', sa.Integer),
    sa.column('article_status', sa.JSON),
    sa.column('extra', sa.JSON),
)
_chunk = sa.table(
    'chunk',
    sa.column('id', sa.String),
    sa.column('document_id', sa.Integer),
    sa.column('article', sa.String),
    sa.column('record_id', sa.String),
)
_blocker = sa.table('blocker', sa.column('published_document_id', sa.Integer))


def _record_id(source: str, extra: dict) -> str:
    if extra.get('record_id'):
        return str(extra['record_id'])
    return source.rpartition('#')[2] if '#' in source else ''


def _fold_corpus_lines(bind: sa.engine.Connection) -> None:
    rows = bind.execute(
        sa.select(_document.c.id, _document.c.source, _document.c.status, _document.c.extra).order_by(_document.c.id)
    ).all()
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        extra = dict(row.extra or {})
        record_id = _record_id(row.source, extra)
        bind.execute(
            sa.update(_chunk).where(_chunk.c.document_id == row.id).values(record_id=record_id[:300])
        )
        file, _, _ = row.source.partition('#')
        if extra.get('kind', 'legal') == 'legal' and '#' in row.source and '::' in record_id:
            groups[(file, record_id.rsplit('::', 1)[0].strip())].append((row, extra, record_id))
    taken = {row.source for row in rows}
    for (file, law), members in groups.items():
        keep, keep_extra, _ = members[0]
        source = f'{file}#{law}'
        if source in taken and source != keep.source:
            continue  # a record already named like the law: leave this group as it was
        status = Counter(str(row.status) for row, _, _ in members).most_common(1)[0][0]
        overrides = {
            str(extra.get('article') or record_id.rsplit('::', 1)[1]).strip(): str(row.status)
            for row, extra, record_id in members
            if str(row.status) != status
        }
        others = [row.id for row, _, _ in members[1:]]
        for start in range(0, len(others), 500):
            batch = others[start : start + 500]
            bind.execute(sa.update(_chunk).where(_chunk.c.document_id.in_(batch)).values(document_id=keep.id))
            bind.execute(
                sa.update(_blocker).where(_blocker.c.published_document_id.in_(batch)).values(published_document_id=keep.id)
            )
            bind.execute(sa.delete(_document).where(_document.c.id.in_(batch)))
        chunks = bind.execute(sa.select(sa.func.count()).select_from(_chunk).where(_chunk.c.document_id == keep.id)).scalar()
        extra = {k: v for k, v in keep_extra.items() if k not in ('article', 'article_title', 'file_key')}
        extra['record_id'] = law
        bind.execute(
            sa.update(_document)
            .where(_document.c.id == keep.id)
            .values(
                source=source[:1000], status=status, chunk_count=int(chunks or 0), article_count=len(members),
                article_status=overrides, extra=extra,
            )
        )
        taken.add(source)
    # Every other document: its distinct articles (or one, for a plain text).
    counts = bind.execute(
        sa.select(_chunk.c.document_id, sa.func.count(sa.distinct(_chunk.c.article))).group_by(_chunk.c.document_id)
    ).all()
    for document_id, articles in counts:
        bind.execute(
            sa.update(_document)
            .where(_document.c.id == document_id, _document.c.article_count == 0)
            .values(article_count=max(int(articles), 1))
        )


def downgrade() -> None:
    with op.batch_alter_table('chunk', schema=None) as batch_op:
        batch_op.drop_column('origin_effective_from')
        batch_op.drop_column('origin_title')
        batch_op.drop_column('origin_article')
        batch_op.drop_column('origin_type')
        batch_op.drop_column('origin_number')
        batch_op.drop_column('record_id')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('article_status')
        batch_op.drop_column('source_url')
        batch_op.drop_column('replaced_by')
        batch_op.drop_column('effective_to')
        batch_op.drop_column('effective_from')
        batch_op.drop_column('article_count')

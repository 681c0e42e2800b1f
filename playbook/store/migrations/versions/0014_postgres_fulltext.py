"""PostgreSQL only: the keyword index (full text) and the dense index's sentence vectors

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 15:20:00.000000

With a PostgreSQL store the derived indexes live in its database rather than in SQLite files
beside it (issue 19: no SQLite file in the data directory): ``keyword_chunks`` is the
keyword index (``ingest.pg_fulltext``): a ``tsvector`` per chunk with a GIN index, and the
chunk's filter tokens (owner, programme, facets) as a text array with a GIN index of its
own, so the reader's scope is part of the same query. ``sentence_vectors`` holds the
per-sentence vectors the dense index keeps beside a Chroma server (``ingest.pg_sentences``).
Every text here is the redacted chunk text the store already holds.

On SQLite this migration does nothing: the keyword index there is an FTS5 file and the
sentence vectors a file beside the Chroma index.
"""

from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        """
        CREATE TABLE keyword_chunks (
            chunk_id text PRIMARY KEY,
            document_id text NOT NULL,
            owner_id text NOT NULL,
            visibility text NOT NULL,
            programme_id text NOT NULL,
            kind text NOT NULL,
            created_ts bigint,
            filters text[] NOT NULL,
            meta jsonb NOT NULL,
            body text NOT NULL,
            tsv tsvector NOT NULL
        )
        """
    )
    op.execute('CREATE INDEX ix_keyword_chunks_tsv ON keyword_chunks USING gin (tsv)')
    op.execute('CREATE INDEX ix_keyword_chunks_filters ON keyword_chunks USING gin (filters)')
    op.execute('CREATE INDEX ix_keyword_chunks_document ON keyword_chunks (document_id)')
    op.execute('CREATE TABLE keyword_index_info (key text PRIMARY KEY, value text NOT NULL)')
    op.execute(
        """
        CREATE TABLE sentence_vectors (
            chunk_id text PRIMARY KEY,
            document_id text NOT NULL,
            spans bytea NOT NULL,
            vectors bytea NOT NULL
        )
        """
    )
    op.execute('CREATE INDEX ix_sentence_vectors_document ON sentence_vectors (document_id)')
    op.execute('CREATE TABLE sentence_vectors_info (key text PRIMARY KEY, value text NOT NULL)')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in ('sentence_vectors_info', 'sentence_vectors', 'keyword_index_info',
                  'keyword_chunks'):
        op.execute(f'DROP TABLE IF EXISTS {table}')

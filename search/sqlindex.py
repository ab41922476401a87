"""The search index in the main database: the embedded engine and the degraded fallback.

`SqlIndex` keeps one `search_document` row per offer (`directory.search_index`) and
answers queries with SQL: filters, facets, totals, sorts and pages are the same code in
both text modes (`search.sqlfilters`). Only free text differs:

- "fts" (SQLite only; the embedded default, named "embedded"): FTS5 with diacritics
  removed, prefix search on the last word, typo tolerance from the index's vocabulary,
  Dutch stop words, synonyms and compound hints (`search.text`, `search.fts`); relevance
  puts offers whose name matches the whole query first, then the rest, each in id order
  (`search.ftsquery`).
- "substring" (any database; named "database"): each query word, normalised, must occur
  somewhere in the normalised text (case and diacritics ignored; no typos, no synonyms).
  It has no relevance of its own: sort "relevance" is id order. This is what answers on
  PostgreSQL without Meilisearch, and while Meilisearch is down.

On SQLite every write also maintains the FTS5 table, whatever the text mode, so both
modes can read one index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal
from uuid import uuid4

from sqlalchemy import (
    ColumnElement,
    Connection,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.selectable import FromClause

from directory.db import CHUNK, unit_of_work
from directory.enums import OfferKind
from directory.search_index import MULTI_VALUED, IndexedText, IndexedValue, IndexState
from directory.search_index import IndexedDocument as Doc
from search import ftsquery, sqlcolumns, sqlfilters
from search.documents import SearchDocument, document_digest
from search.fts import Vocabulary, match_expression
from search.query import (
    MAX_PER_PAGE,
    Hit,
    LeerjaarFigure,
    SearchQuery,
    SearchResult,
    Sort,
    judged_hit,
)
from search.text import allowed_typos, compound_words, normalise, parse_query

TextMode = Literal["fts", "substring"]
DOCUMENTS = Doc.__table__
# Statements SQLAlchemy cannot build for a virtual table (FTS5 commands go through INSERT).
FTS_INSERT = text("INSERT INTO search_text(rowid, name, body) VALUES (:id, :name, :body)")
# A contentless FTS5 table forgets a row when told exactly what it indexed.
FTS_DELETE = text(
    "INSERT INTO search_text(search_text, rowid, name, body) "
    "SELECT 'delete', offer_id, name_terms, match_text FROM search_document_text "
    "WHERE offer_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
FTS_DELETE_ALL = text("INSERT INTO search_text(search_text) VALUES ('delete-all')")
FTS_OPTIMIZE = text("INSERT INTO search_text(search_text) VALUES ('optimize')")
# Words with digits are never typo corrections (`search.fts`): leave them in the index.
VOCABULARY = text("SELECT term, doc FROM search_text_vocab WHERE term NOT GLOB '*[0-9]*'")


class SqlIndex:
    """A `search.backend.SearchBackend` on the tables of the main database."""

    def __init__(self, session_factory: sessionmaker[Session], *, text_mode: TextMode) -> None:
        with session_factory() as session:
            self._dialect = session.get_bind().dialect.name
        if text_mode not in ("fts", "substring"):
            raise ValueError(f"text_mode must be 'fts' or 'substring', not {text_mode!r}")
        if text_mode == "fts" and self._dialect != "sqlite":
            raise ValueError(
                f"text_mode='fts' needs SQLite (FTS5); this database is {self._dialect}: "
                "use text_mode='substring'"
            )
        self.name = "embedded" if text_mode == "fts" else "database"
        self.text_mode: TextMode = text_mode
        self._sessions = session_factory
        self._has_fts = self._dialect == "sqlite"
        # The vocabulary and the index token it was read under (see IndexState).
        self._vocabulary: tuple[str | None, Vocabulary] | None = None

    # --- reading --------------------------------------------------------------------------

    def search(
        self, query: SearchQuery, now: datetime, session: Session | None = None
    ) -> SearchResult:
        """Answer `query` as of `now` (see `search.query` for the semantics), in the
        caller's `session` (a request's or job's unit of work); without one, in a read-only
        unit of work of its own (tools and the contract suite)."""
        if query.page < 1 or not 1 <= query.per_page <= MAX_PER_PAGE:
            raise ValueError(f"page must be ≥ 1 and per_page between 1 and {MAX_PER_PAGE}")
        if session is not None:
            return self._search(session.connection(), query, now)
        with unit_of_work(self._sessions, read_only=True) as own:
            return self._search(own.connection(), query, now)

    def _search(self, connection: Connection, query: SearchQuery, now: datetime) -> SearchResult:
        if query.near is not None and self._dialect == "sqlite":
            sqlfilters.ensure_math_functions(connection)
        source, condition, expression = self._text(connection, query)
        # Without FTS5 matches to drive the join, SQLite picks the index on lat for a
        # radius, however much of the table its box holds.
        scan_box = (
            self._dialect == "sqlite"
            and source is DOCUMENTS
            and sqlfilters.box_is_wide(connection, query)
        )
        figure = sqlcolumns.HEADLINE
        if query.leerjaar is not None:
            source, figure = sqlcolumns.leerjaar_figure(source, query.leerjaar)
        where = sqlfilters.conditions(query, now, condition, scan_box=scan_box, figure=figure)
        limit, offset = query.per_page, (query.page - 1) * query.per_page
        score, page = None, None
        if expression is not None and query.sort is Sort.RELEVANCE:
            # With filters, each matched row carries whether its name matches (0 or
            # 1); with none, the page is read straight off the FTS5 index.
            if where:
                score = Doc.id.not_in(ftsquery.named(expression))
            else:
                page = ftsquery.page_by_relevance(expression, limit, offset)
        within = sqlfilters.radius(query)
        total, facets, page_ids = sqlfilters.facets_and_page(
            connection,
            source=source,
            where=where,
            keys=sqlfilters.sort_keys(query, now, score, within, figure),
            now=now,
            limit=limit,
            offset=offset,
            within=within,
            page=page,
            figure=figure,
        )
        items = self._hits(connection, page_ids, query, now)
        return SearchResult(items, total, query.page, query.per_page, facets)

    def _text(
        self, connection: Connection, query: SearchQuery
    ) -> tuple[FromClause, ColumnElement[bool] | None, str | None]:
        """Where the documents come from, the text condition for the WHERE clause, and (fts
        mode) the FTS5 expression the source matched."""
        parts = parse_query(query.q)
        if not parts:
            return DOCUMENTS, None, None
        if self.text_mode == "substring":
            needles = [word for part in parts for word in part.words]
            matching = select(IndexedText.offer_id).where(
                *(IndexedText.match_text.contains(word, autoescape=True) for word in needles)
            )
            return DOCUMENTS, Doc.id.in_(matching), None
        wants_typos = any(allowed_typos(word) for part in parts for word in part.words)
        vocabulary = self._current_vocabulary(connection) if wants_typos else None
        expression = match_expression(parts, vocabulary)
        matches = ftsquery.matching(expression).subquery("matches")
        source = sqlfilters.OuterFirstJoin(matches, DOCUMENTS, matches.c.id == Doc.id)
        return source, None, expression

    def _hits(
        self, connection: Connection, page_ids: list[int], query: SearchQuery, now: datetime
    ) -> list[Hit]:
        """The page's hits: each document's headline, or with a leerjaar that leerjaar's
        figure; without one, with its leerjaren's figures where they differ."""
        if not page_ids:
            return []
        columns = [
            Doc.id,
            Doc.name,
            Doc.kind,
            Doc.organisation,
            Doc.municipality,
            Doc.status,
            Doc.open_places,
            Doc.total_wait_weeks,
            Doc.measured_at,
            Doc.valid_until,
            Doc.lat,
            Doc.lon,
        ]
        rows = {
            row.id: row for row in connection.execute(select(*columns).where(Doc.id.in_(page_ids)))
        }
        per_leerjaar = sqlcolumns.read_leerjaar_values(
            connection.execute(
                select(IndexedValue.offer_id, IndexedValue.field, IndexedValue.value).where(
                    IndexedValue.offer_id.in_(page_ids),
                    IndexedValue.field.startswith(sqlcolumns.LEERJAAR_PREFIX, autoescape=True),
                )
            )
        )
        return [
            _hit(rows[offer_id], now, query, per_leerjaar.get(offer_id, []))
            for offer_id in page_ids
        ]

    def _current_vocabulary(self, connection: Connection) -> Vocabulary:
        """The index's words, read again only when the index changed since."""
        token = connection.execute(select(IndexState.token).where(IndexState.id == 1)).scalar()
        cached = self._vocabulary
        if cached is not None and cached[0] == token:
            return cached[1]
        rows = connection.execute(VOCABULARY)
        vocabulary = Vocabulary({term: documents for term, documents in rows})
        self._vocabulary = (token, vocabulary)
        return vocabulary

    def digests(self) -> dict[int, str]:
        """The digest of every stored document, by offer id."""
        with unit_of_work(self._sessions, read_only=True) as session:
            rows = session.execute(select(Doc.id, Doc.digest))
            return {offer_id: digest for offer_id, digest in rows}

    # --- writing --------------------------------------------------------------------------

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace documents, in one transaction."""
        latest = {document.id: document for document in documents}
        if not latest:
            return
        with unit_of_work(self._sessions) as session:
            connection = session.connection()
            self._remove(connection, sorted(latest))
            texts = self._insert(connection, list(latest.values()))
            tokens = self._touch(connection)
        self._learn(tokens, (word for row in texts for word in _indexed_words(row)))

    def delete(self, offer_ids: Sequence[int]) -> None:
        """Remove documents, in one transaction; ids that are not there are ignored."""
        if not offer_ids:
            return
        with unit_of_work(self._sessions) as session:
            connection = session.connection()
            self._remove(connection, sorted(set(offer_ids)))
            tokens = self._touch(connection)
        # Words of removed documents may stay: a correction that matches nothing is harmless.
        self._learn(tokens, ())

    def rebuild(
        self,
        batches: Iterable[Sequence[SearchDocument]],
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        """Replace everything in one transaction: searches see the old index until it
        commits. `on_progress` gets the number of documents of each batch written."""
        with unit_of_work(self._sessions) as session:
            connection = session.connection()
            if self._has_fts:
                connection.execute(FTS_DELETE_ALL)
            connection.execute(delete(IndexedValue))
            connection.execute(delete(IndexedText))
            connection.execute(delete(Doc))
            for batch in batches:
                self._insert(
                    connection, list({document.id: document for document in batch}.values())
                )
                if on_progress is not None:
                    on_progress(len(batch))
            if self._has_fts:
                # Merge the index's segments into one: faster queries from the first search.
                connection.execute(FTS_OPTIMIZE)
            self._touch(connection)

    def _insert(
        self, connection: Connection, documents: list[SearchDocument]
    ) -> list[dict[str, Any]]:
        """Write `documents` (not there yet); returns their text rows."""
        if not documents:
            return []
        rows = [_row(document) for document in documents]
        texts = [_text_row(document) for document in documents]
        connection.execute(insert(Doc), rows)
        connection.execute(insert(IndexedText), texts)
        values = [
            {"offer_id": document.id, "field": field, "value": value}
            for document in documents
            for field in MULTI_VALUED
            for value in sorted(set(getattr(document, field)))
        ]
        values += [
            {"offer_id": document.id, "field": field, "value": value}
            for document in documents
            for field, value in sqlcolumns.leerjaar_values(
                document.leerjaar_figures, _headline_figure(document)
            )
        ]
        if values:
            connection.execute(insert(IndexedValue), values)
        if self._has_fts:
            connection.execute(
                FTS_INSERT,
                [
                    {"id": row["offer_id"], "name": row["name_terms"], "body": row["match_text"]}
                    for row in texts
                ],
            )
        return texts

    def _remove(self, connection: Connection, offer_ids: list[int]) -> None:
        for start in range(0, len(offer_ids), CHUNK):
            chunk = offer_ids[start : start + CHUNK]
            if self._has_fts:
                connection.execute(FTS_DELETE, {"ids": chunk})
            connection.execute(delete(IndexedValue).where(IndexedValue.offer_id.in_(chunk)))
            connection.execute(delete(IndexedText).where(IndexedText.offer_id.in_(chunk)))
            connection.execute(delete(Doc).where(Doc.id.in_(chunk)))

    def _touch(self, connection: Connection) -> tuple[str | None, str]:
        """Mark the index as changed, for the vocabulary caches of every process; returns
        the tokens before and after."""
        before = connection.execute(select(IndexState.token).where(IndexState.id == 1)).scalar()
        token = uuid4().hex
        if before is None:
            connection.execute(insert(IndexState).values(id=1, token=token))
        else:
            connection.execute(update(IndexState).where(IndexState.id == 1).values(token=token))
        return before, token

    def _learn(self, tokens: tuple[str | None, str], words: Iterable[str]) -> None:
        """After a committed write of ours: when the cached vocabulary was current just
        before it, add the new words instead of reading the whole vocabulary again."""
        before, after = tokens
        cached = self._vocabulary
        if self._has_fts and cached is not None and cached[0] == before:
            self._vocabulary = (after, cached[1].adding(words))


def _row(document: SearchDocument) -> dict[str, Any]:
    return {
        "id": document.id,
        "name": document.name,
        "kind": document.kind.value,
        "organisation_id": document.organisation_id,
        "organisation": document.organisation,
        "municipality": document.municipality,
        "several_municipalities": len(set(document.municipalities)) > 1,
        "lat": document.lat,
        "lon": document.lon,
        "cluster": document.cluster,
        "school_type": document.school_type,
        "ijw_category": document.ijw_category,
        "day_programme_type": document.day_programme_type,
        "min_age": document.min_age,
        "max_age": document.max_age,
        "accepts_pgb": document.accepts_pgb,
        "status": document.status,
        "open_places": document.open_places,
        "total_wait_weeks": document.total_wait_weeks,
        "measured_at": document.measured_at,
        "valid_until": document.valid_until,
        "updated_at": document.updated_at,
        "is_demo": document.is_demo,
        "digest": document_digest(document),
    }


def _text_row(document: SearchDocument) -> dict[str, Any]:
    return {
        "offer_id": document.id,
        "text": document.text,
        "name_terms": _with_compound_words(normalise(document.name)),
        "match_text": _with_compound_words(normalise(f"{document.name} {document.text}")),
    }


def _indexed_words(text_row: dict[str, Any]) -> set[str]:
    return {*text_row["name_terms"].split(), *text_row["match_text"].split()}


def _with_compound_words(normalised: str) -> str:
    extra = compound_words(normalised)
    return f"{normalised} {' '.join(extra)}" if extra else normalised


def _headline_figure(document: SearchDocument) -> LeerjaarFigure:
    return LeerjaarFigure(
        sqlcolumns.SHARED,
        document.status,
        document.open_places,
        document.total_wait_weeks,
        document.measured_at,
        document.valid_until,
    )


def _hit(row: Any, now: datetime, query: SearchQuery, figures: list[LeerjaarFigure]) -> Hit:
    headline = LeerjaarFigure(
        0, row.status, row.open_places, row.total_wait_weeks, row.measured_at, row.valid_until
    )
    figure = headline
    if query.leerjaar is not None:
        # Found under the leerjaar: its own figure, or the headline all its leerjaren share.
        figure = next((found for found in figures if found.leerjaar == query.leerjaar), headline)
        figures = []
    return judged_hit(
        id=row.id,
        name=row.name,
        kind=OfferKind(row.kind),
        organisation=row.organisation,
        municipality=row.municipality,
        status=figure.status,
        open_places=figure.open_places,
        total_wait_weeks=figure.total_wait_weeks,
        measured_at=figure.measured_at,
        valid_until=figure.valid_until,
        now=now,
        near=query.near,
        lat=row.lat,
        lon=row.lon,
        leerjaar_figures=figures,
    )

"""The embedded engine's reads of the FTS5 table (`search.sqlindex`, fts mode): the offers
an FTS5 expression (`search.fts.match_expression`) matches, those whose name alone matches
it, and a page by relevance.

Relevance puts the offers whose name matches the whole query first, then the rest, each in
id order: a coarse stand-in for Meilisearch's attribute rule (docs/search.md lists how the
two differ). It is not bm25, which cost about
1 µs for every match (mostly FTS5 looking up each row's length): 25 ms for 30,000 matches.
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)

from directory.search_index import FTS_COLUMNS, FTS_TABLE
from directory.search_index import IndexedDocument as Doc
from search.fts import in_column, outside_column
from search.sqlfilters import OuterFirstJoin

FTS = table(FTS_TABLE)
ROWID: ColumnElement[int] = literal_column("rowid")
NAME = FTS_COLUMNS[0]  # the column of the offer's name


def matching(expression: str, name: str = "fts_query") -> Select[int]:
    """The ids (`id`) of the offers that match `expression`, bound as parameter `name`."""
    match = literal_column(FTS_TABLE).op("MATCH")(bindparam(name, expression))
    return select(ROWID.label("id")).select_from(FTS).where(match)


def named(expression: str) -> Select[int]:
    """The ids of the offers whose name alone matches `expression`."""
    return matching(in_column(expression, NAME), "fts_name_query")


def page_by_relevance(expression: str, limit: int, offset: int) -> Subquery:
    """The (position, id) rows of one page by relevance when only the text filters: FTS5
    hands out the matches of each group in id order, so reading stops after the page
    instead of ranking every match."""
    rest = matching(outside_column(expression, NAME), "fts_rest_query").subquery()
    groups = [
        select(literal(rank).label("rank"), Doc.id)
        .select_from(OuterFirstJoin(found, Doc.__table__, found.c.id == Doc.id))
        .order_by(found.c.id)
        .limit(offset + limit)
        .subquery()
        for rank, found in enumerate((named(expression).subquery(), rest))
    ]
    ranked = union_all(*(select(group.c.rank, group.c.id) for group in groups)).subquery()
    order = (ranked.c.rank, ranked.c.id)
    return (
        select(func.row_number().over(order_by=order).label("position"), ranked.c.id)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )

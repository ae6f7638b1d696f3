"""Searching calls by text, on either database.

- PostgreSQL: Turkish full-text search (``to_tsvector('turkish', …)``: title weight A, summary
  and funder weight B, so "kadınların" finds "kadın") *or* folded word-prefix matching on
  ``Opportunity.search_text`` (``kaynak.core.text.search_key``: "istanbul" finds "İSTANBUL",
  which PostgreSQL's own lower-casing in a C locale would miss), ranked by ``ts_rank``.
- SQLite: an FTS5 table ``radar_opportunity_fts`` (columns ``title`` = ``title_key`` and
  ``body`` = ``search_text``, rowid = the call's id), created by migration
  ``0002_public_search_index`` only on SQLite and kept in step by **triggers** on
  ``radar_opportunity`` (insert, update of the two keys, delete; the SQL is in the
  migration) — so every writer, the service layer, the admin or a raw ``UPDATE``, keeps it
  right. Every word is a prefix (``"sivil"* "toplum"*``); rank is ``bm25`` with the title
  ten times the body.
  Where the SQLite library has no FTS5, the same words are matched with ``LIKE`` on
  ``search_text`` (at a word start), unranked.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from kaynak.core.db import sqlite_has_fts5
from kaynak.core.text import search_words as words
from kaynak.radar.models import Opportunity

FTS_TABLE = "radar_opportunity_fts"


def folded_match(text: str) -> Q:
    """Every word of ``text`` starts a word of ``search_text``."""
    condition = Q()
    for word in words(text):
        condition &= Q(search_text__startswith=word) | Q(search_text__contains=f" {word}")
    return condition


def _fts_expression(text: str) -> str:
    # Folded words are [0-9a-z]+ only, so quoting each is safe; "word"* is a prefix query.
    return " ".join(f'"{word}"*' for word in words(text))


def matching(calls: QuerySet[Opportunity], text: str) -> tuple[QuerySet[Opportunity], bool]:
    """``calls`` narrowed to those matching ``text``; the bool says whether they carry a
    ``search_rank`` annotation (higher is better)."""
    if not words(text):
        return calls, False
    if connection.vendor == "postgresql":
        vector = SearchVector("title", weight="A", config="turkish") + SearchVector(
            "summary", "funder_name", "funder__name", weight="B", config="turkish"
        )
        query = SearchQuery(text, config="turkish", search_type="websearch")
        annotated = calls.annotate(search_vector=vector, search_rank=SearchRank(vector, query))
        return annotated.filter(Q(search_vector=query) | folded_match(text)), True
    if connection.vendor == "sqlite" and sqlite_has_fts5():
        expression = _fts_expression(text)
        # The table name is a constant; the search words are a parameter.
        matches = RawSQL(
            "SELECT rowid FROM radar_opportunity_fts WHERE radar_opportunity_fts MATCH %s",
            (expression,),
        )
        rank = RawSQL(
            "SELECT -bm25(radar_opportunity_fts, 10.0, 1.0) FROM radar_opportunity_fts "
            "WHERE radar_opportunity_fts MATCH %s AND rowid = radar_opportunity.id",
            (expression,),
            output_field=FloatField(),
        )
        return calls.filter(pk__in=matches).annotate(search_rank=rank), True
    return calls.filter(folded_match(text)), False

"""Page-number pagination with one envelope for every list:
``{"items": [...], "count": 123, "page": 2, "pages": 3, "page_size": 50}``."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class PageNumber(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1)
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int
        page_size: int

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        start = (pagination.page - 1) * pagination.page_size
        return {
            "items": queryset[start : start + pagination.page_size],
            "count": count,
            "page": pagination.page,
            "pages": max(1, math.ceil(count / pagination.page_size)),
            "page_size": pagination.page_size,
        }

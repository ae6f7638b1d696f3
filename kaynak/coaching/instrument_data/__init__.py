"""Shipped assessment instruments as data files (``<slug>-v<version>.json``): the instrument,
its dimensions in order, each dimension's questions in order with four level descriptions
(``{"tr": …, "en": …}`` for scores 1–4). Read by the data migration that installs them, so
the loader takes the model classes it writes (historical models in a migration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DIRECTORY = Path(__file__).resolve().parent
DEFAULT_FILE = "kaynak-kapasite-v1.json"


def read(name: str = DEFAULT_FILE) -> dict[str, Any]:
    """The instrument described by the data file ``name``."""
    data: dict[str, Any] = json.loads((DIRECTORY / name).read_text(encoding="utf-8"))
    return data


def install(
    data: dict[str, Any], *, instrument_model: Any, dimension_model: Any, indicator_model: Any
) -> Any:
    """Create the instrument of ``data`` (current version) with its dimensions and questions."""
    instrument = instrument_model.objects.create(
        slug=data["slug"],
        version=data["version"],
        name=data["name"],
        name_en=data.get("name_en", ""),
        description=data.get("description", ""),
        description_en=data.get("description_en", ""),
        is_current=True,
    )
    for position, dimension_data in enumerate(data["dimensions"]):
        dimension = dimension_model.objects.create(
            instrument=instrument,
            key=dimension_data["key"],
            position=position,
            name=dimension_data["name"],
            name_en=dimension_data.get("name_en", ""),
            description=dimension_data.get("description", ""),
            description_en=dimension_data.get("description_en", ""),
        )
        indicator_model.objects.bulk_create(
            indicator_model(
                dimension=dimension,
                key=question["key"],
                position=number,
                text=question["text"],
                text_en=question.get("text_en", ""),
                levels=question["levels"],
            )
            for number, question in enumerate(dimension_data["indicators"], start=1)
        )
    return instrument

"""The demo indicators: built over the small demo data set, with targets and figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaynak.core.demo import build_demo
from kaynak.impact import results
from kaynak.impact.models import Indicator, ManualValue, ValueStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_indicators_of_the_issue_with_targets_and_figures() -> None:
    build_demo(scale="small", seed=2018)
    by_code = {i.code: i for i in results.indicators_for_table()}
    assert {i.name_en: i.targets.get().value for i in by_code.values() if i.code < "O2"} == {
        "Organisations supported": Decimal(2000),
        "NGO representatives trained": Decimal(3000),
        "Support requests answered": Decimal(1000),
        "Organisations the EU Support Unit supported": Decimal(50),
    }
    start, end = dt.date(2022, 1, 1), dt.date(2025, 12, 31)
    table = {
        r.indicator.code: r for r in results.indicator_table(by_code.values(), start=start, end=end)
    }
    assert table["O1.1"].value is not None
    assert table["O1.1"].value > 0
    assert table["O1.1"].target is not None
    publications = ManualValue.objects.get(indicator=by_code["O2.1"])
    assert publications.status == ValueStatus.APPROVED
    year = results.indicator_result(
        Indicator.objects.get(code="O2.1"), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert (year.value, year.percent_of_target) == (Decimal(14), Decimal("116.7"))

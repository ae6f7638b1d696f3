"""The radar chart (one polygon per series, rings, labels escaped) and the exports: one
assessment's PDF and XLSX, the staff's workbook of every completed assessment."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.coaching.charts import radar_chart
from kaynak.coaching.tests.assess_support import answered, logged_in, ngo_admin
from kaynak.coaching.tests.factories import small_instrument
from kaynak.core.models import AuditEntry
from kaynak.directory.tests.factories import OrganisationFactory

SEVEN = [(f"d{n}", f"Boyut {n}") for n in range(7)]


def test_the_chart_has_one_polygon_per_series_and_a_ring_per_level() -> None:
    svg = str(
        radar_chart(
            axes=SEVEN,
            series=[
                ("2026", {key: Decimal("2.50") for key, _label in SEVEN}),
                ("2027", {key: Decimal("3.25") for key, _label in SEVEN}),
                ("Koç", {key: None for key, _label in SEVEN}),
            ],
        )
    )
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert svg.count('class="series"') == 3
    assert svg.count('class="ring"') == 4
    assert svg.count('class="axis-label"') == 7
    assert "<title" in svg
    assert "<script" not in svg
    # Each polygon has a point per axis.
    polygons = re.findall(r'class="series" points="([^"]+)"', svg)
    assert all(len(points.split()) == 7 for points in polygons)


def test_a_full_score_reaches_the_outer_ring() -> None:
    svg = str(radar_chart(axes=SEVEN, series=[("Tam", {k: Decimal(4) for k, _l in SEVEN})]))
    outer = re.findall(r'class="ring" points="([^"]+)"', svg)[-1]
    series = re.findall(r'class="series" points="([^"]+)"', svg)[0]
    assert outer == series


def test_labels_and_legends_are_escaped() -> None:
    svg = str(
        radar_chart(
            axes=[("a", "<b>Yönetişim</b>"), ("b", "B"), ("c", "C")],
            series=[("<script>x</script>", {"a": Decimal(1)})],
        )
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    assert "&lt;b&gt;Yönetişim" in svg


ALL_FOUR = {"gov-1": 2, "gov-2": 3, "fin-1": 3, "fin-2": 4}


@pytest.mark.django_db
def test_the_xlsx_of_an_assessment_has_results_and_answers() -> None:
    organisation = OrganisationFactory.create()
    instrument = small_instrument()
    answered(
        {"gov-1": 1, "gov-2": 1, "fin-1": 1, "fin-2": 1},
        organisation=organisation,
        instrument=instrument,
    )
    completed = answered(ALL_FOUR, organisation=organisation, instrument=instrument, stage="final")
    client = logged_in(ngo_admin(organisation))
    response = client.get(reverse("coaching:assessment-xlsx", args=[completed.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    results = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert results[1] == ["gov", "Governance", 2.5, 1.0, 1.5]
    assert results[2] == ["fin", "Financial management", 3.5, 1.0, 2.5]
    assert results[3][1:4] == ["Overall score", 3.0, 1.0]
    answers = [list(row) for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert len(answers) == 1 + 4
    assert answers[1][1:4] == ["gov-1", "Governance question 1", 2]
    assert answers[1][5] == "Kanıt gov-1"


@pytest.mark.django_db
def test_the_pdf_of_an_assessment_is_a_pdf() -> None:
    organisation = OrganisationFactory.create()
    completed = answered(ALL_FOUR, organisation=organisation)
    response = logged_in(ngo_admin(organisation)).get(
        reverse("coaching:assessment-pdf", args=[completed.pk])
    )
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 5000


@pytest.mark.django_db
def test_the_staff_export_has_a_row_per_completed_assessment_and_dimension() -> None:
    instrument = small_instrument()
    first = answered(ALL_FOUR, instrument=instrument)
    answered({"gov-1": 4, "gov-2": 4, "fin-1": 1, "fin-2": 1}, instrument=instrument)
    answered(ALL_FOUR, instrument=instrument, complete=False)
    officer = StaffFactory.create(roles=[Role.ME_OFFICER])
    response = logged_in(officer).get(reverse("coaching:staff-assessments-xlsx"))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert len(rows) == 1 + 2 * 2
    assert rows[1][0] == first.pk
    assert (rows[1][9], rows[1][11], rows[1][12]) == ("gov", 2.5, 3.0)
    assert (rows[4][9], rows[4][11], rows[4][12]) == ("fin", 1.0, 2.5)
    assert AuditEntry.objects.filter(
        action="kaynak.coaching.assessment.exported", actor=officer
    ).exists()


@pytest.mark.django_db
def test_a_coach_without_the_export_right_cannot_export_everything() -> None:
    coach = StaffFactory.create(roles=[Role.COACH])
    response = logged_in(coach).get(reverse("coaching:staff-assessments-xlsx"))
    assert response.status_code == 404
    assert Client().get(reverse("coaching:staff-assessments-xlsx")).status_code == 302

"""Editors' corrections exported as labelled corpus cases: the text the machine read, the labels
the editor confirmed; by `kaynak radar corrections --out DIR` and as a zip on the drafts page."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.radar import corrections, manual, services
from kaynak.radar.extraction import FIELDS, extract
from kaynak.radar.models import Opportunity

pytestmark = pytest.mark.django_db

ANNOUNCEMENT = """Gençlik Çalışmaları Hibe Programı
Programın amacı gençlerin demokratik katılımını güçlendirmektir.
Son başvuru tarihi: 15 Aralık 2026
Azami destek tutarı 300.000 TL'dir.
Uygun başvuru sahipleri: dernekler.
"""


@pytest.fixture
def editor_user() -> User:
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


def entered(editor: User, text: str = ANNOUNCEMENT) -> Opportunity:
    return manual.enter_text(actor=editor, text=text, title=text.splitlines()[0]).opportunity


def test_an_edited_deadline_is_the_label_and_the_source_body_is_the_text(
    editor_user: User,
) -> None:
    call = entered(editor_user)
    services.edit(
        opportunity=call,
        actor=editor_user,
        changes={"deadline_date": dt.date(2026, 12, 22), "applicant_types": ["foundation"]},
    )

    [case] = corrections.build_cases()

    assert case.kind == "txt"
    assert case.body.decode() == ANNOUNCEMENT.strip()
    assert case.labels["deadline"] == "2026-12-22"
    assert case.labels["applicant_types"] == ["foundation"]
    assert case.labels["amount_max"] == 300000
    assert list(case.labels) == list(FIELDS)
    # The machine read the original date: the case is one the extraction gets wrong today.
    assert extract(case.body, case.kind)["deadline"] == "2026-12-15"


def test_calls_nobody_corrected_are_not_exported(editor_user: User) -> None:
    entered(editor_user)

    assert corrections.build_cases() == []


def test_a_stated_time_and_zone_are_part_of_the_deadline_label(editor_user: User) -> None:
    call = entered(editor_user)
    services.edit(
        opportunity=call,
        actor=editor_user,
        changes={"deadline_time": dt.time(16, 0), "deadline_timezone": "Europe/Brussels"},
    )

    [case] = corrections.build_cases()

    assert case.labels["deadline"] == "2026-12-15T16:00"
    assert case.labels["deadline_timezone"] == "Europe/Brussels"


def test_the_command_writes_the_cases_numbered_after_those_already_there(
    editor_user: User, tmp_path: Path
) -> None:
    call = entered(editor_user)
    services.edit(opportunity=call, actor=editor_user, changes={"currency": "EUR"})
    (tmp_path / "007-eski.json").write_text("{}")
    out = io.StringIO()

    call_command("radar", "corrections", "--out", str(tmp_path), stdout=out)

    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("007"))
    assert written == ["008-genclik-calismalari-hibe-programi.json",
                       "008-genclik-calismalari-hibe-programi.txt"]  # fmt: skip
    labels = json.loads((tmp_path / written[0]).read_text())
    assert labels["currency"] == "EUR"
    assert "1 corrected calls written" in out.getvalue()


def test_editors_download_the_cases_as_a_zip(editor_user: User) -> None:
    call = entered(editor_user)
    services.edit(opportunity=call, actor=editor_user, changes={"themes": ["youth"]})
    client = Client()
    client.force_login(editor_user)

    response = client.get(url("radar:staff-corrections", language="en"))

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names == ["001-genclik-calismalari-hibe-programi.json",
                     "001-genclik-calismalari-hibe-programi.txt"]  # fmt: skip
    assert json.loads(archive.read(names[0]))["themes"] == ["youth"]

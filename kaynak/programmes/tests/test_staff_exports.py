"""Participant lists (CSV, XLSX) and the sign-in sheet PDF: the right rows, Turkish letters
intact, Turkish alphabetical order, one page per session, and only for those who may."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for
from kaynak.core.models import CenterSettings
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.programmes import exports, services
from kaynak.programmes.models import Activity, RegistrationStatus
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    SessionFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Name",
    "Organisation",
    "Province",
    "E-mail",
    "Phone",
    "Status",
    "Registered at",
    "Sessions attended",
    "Hours",
    "Completed",
]


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF, read by a real PDF parser."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def training(coordinator) -> Activity:
    """Three past six-hour sessions (completion at 80 %: all three), two seats: Çağla came to
    all three, Ilgaz to one, Şükrü cancelled, İpek waits."""
    activity = activity_with_sessions(3, start_in=-10, capacity=2)
    sessions = list(activity.sessions.all())

    def add(name: str, **kwargs):
        # The sessions are past: only staff, over the rules, register anyone now.
        person = PersonFactory.create(full_name=name, **kwargs.pop("person", {}))
        return services.register(
            activity=activity,
            person=person,
            email=kwargs.pop("email", person.emails[0]),
            by=coordinator,
            override=True,
            reason="Geçmiş eğitim kaydı",
            **kwargs,
        )

    ege = OrganisationFactory.create(name="Ege Çevre ve Doğa Derneği", province=province(35))
    cagla = add("Çağla Şen", person={"province": None}, email="cagla@ornek.org", organisation=ege)
    ilgaz = add("Ilgaz Öztürk", person={"phones": ["+905321234567"]})
    for session in sessions:
        services.mark_attendance(registration=cagla, session=session)
    services.mark_attendance(registration=ilgaz, session=sessions[0])
    services.cancel_registration(registration=add("Şükrü Çelik"), by=coordinator, reason="Hasta")
    RegistrationFactory.create(
        activity=activity,
        person=PersonFactory.create(full_name="İpek Uğur"),
        organisation=None,
        status=RegistrationStatus.WAITLISTED,
    )
    return activity


def test_the_csv_has_every_registration_with_turkish_letters_intact(training, coordinator):
    response = logged_in(coordinator).get(
        url("programmes:staff-participants-csv", training.pk, language="en")
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == HEADER
    by_name = {row[0]: row for row in rows[1:]}
    assert list(by_name) == ["Çağla Şen", "Ilgaz Öztürk", "İpek Uğur", "Şükrü Çelik"]
    cagla = by_name["Çağla Şen"]
    assert cagla[1:5] == ["Ege Çevre ve Doğa Derneği", "İzmir", "cagla@ornek.org", ""]
    assert cagla[5] == "Confirmed"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", cagla[6])
    assert cagla[7:] == ["3", "18.0", "yes"]
    assert by_name["Ilgaz Öztürk"][2] == "İstanbul"  # the person's own province
    assert by_name["Ilgaz Öztürk"][4] == "+905321234567"
    assert by_name["Ilgaz Öztürk"][7:] == ["1", "6.0", "no"]
    assert by_name["İpek Uğur"][5] == "On the waiting list"
    assert by_name["Şükrü Çelik"][5] == "Cancelled"
    assert history_for(training)[0].action == "kaynak.programmes.participants.exported"


def test_the_xlsx_reads_back_with_the_same_rows(training, coordinator):
    response = logged_in(coordinator).get(
        url("programmes:staff-participants-xlsx", training.pk, language="en")
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [
        "Çağla Şen",
        "Ilgaz Öztürk",
        "İpek Uğur",
        "Şükrü Çelik",
    ]
    assert rows[1][7:] == [3, 18, "yes"]
    assert rows[2][7:] == [1, 6, "no"]


def test_a_formula_typed_as_a_name_stays_text(coordinator):
    activity = activity_with_sessions(1)
    person = PersonFactory.create(full_name="=HYPERLINK(1)")
    services.register(activity=activity, person=person, email=person.emails[0])

    text = exports.participants_csv(activity=activity, actor=None).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    sheet = load_workbook(
        io.BytesIO(exports.participants_xlsx(activity=activity, actor=None))
    ).active
    assert sheet is not None

    assert rows[1][0] == "'=HYPERLINK(1)"
    assert sheet["A2"].data_type == "s"


def test_the_hours_are_the_sessions_attended():
    activity = activity_with_sessions(2, start_in=-5)
    registration = services.register(
        activity=activity,
        person=PersonFactory.create(),
        email="a@ornek.org",
        override=True,
        reason="Geçmiş",
    )
    services.mark_attendance(registration=registration, session=activity.sessions.all()[0])

    [row] = exports.participants(activity)

    assert exports._hours(row) == Decimal("6.00") == services.attended_hours(registration)


def test_participant_lists_are_for_those_who_may_export(training):
    agent = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    officer = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))

    for name in ("staff-participants-csv", "staff-participants-xlsx", "staff-signin-sheet"):
        assert agent.get(url(f"programmes:{name}", training.pk)).status_code == 404
        assert officer.get(url(f"programmes:{name}", training.pk)).status_code == 200


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_sign_in_sheet_lists_seat_holders_in_turkish_order():
    activity = activity_with_sessions(1)
    names = ["Zerrin Ak", "İlker Şen", "Ilgaz Can", "Çağrı Öz", "Cem Uz", "Deniz Ün", "Şule Er"]
    for name in names:
        person = PersonFactory.create(full_name=name)
        services.register(activity=activity, person=person, email=person.emails[0])

    listed = [r.person.full_name for r in exports.signin_registrations(activity)]
    html = exports.signin_sheet_html(activity)

    expected = ["Cem Uz", "Çağrı Öz", "Deniz Ün", "Ilgaz Can", "İlker Şen", "Şule Er", "Zerrin Ak"]
    assert listed == expected
    positions = [html.index(name) for name in expected]
    assert positions == sorted(positions)


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_sign_in_sheet_is_a_pdf_with_a_page_per_session(coordinator):
    CenterSettings.objects.update_or_create(pk=1, defaults={"name_tr": "Sivil Toplum Merkezi"})
    activity = activity_with_sessions(3, title="Gönüllü Yönetimi: Çağrı ve İletişim")
    SessionFactory.create(activity=activity, starts_at=in_days(20), online=True, province=None)
    for name in ("Ömer Işık", "Ayşe Güneş"):
        person = PersonFactory.create(full_name=name)
        services.register(activity=activity, person=person, email=person.emails[0])

    response = logged_in(coordinator).get(url("programmes:staff-signin-sheet", activity.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert pdf_pages(response.content) == 4
    assert len(exports.signin_sheet_document(activity).pages) == 4
    text = exports.signin_sheet_html(activity)
    assert "Sivil Toplum Merkezi" in text
    assert "Gönüllü Yönetimi: Çağrı ve İletişim" in text
    assert text.count("Ömer Işık") == 4

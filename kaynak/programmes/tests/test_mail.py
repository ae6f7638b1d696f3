"""Registrants' mail, sent through a real SMTP server on loopback: each message in Turkish and
English, with Istanbul times, the signed links, the QR code and the meeting link."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import segno
from django.urls import resolve
from django.utils import translation
from PIL import Image

from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.core.models import CenterSettings
from kaynak.directory.tests.factories import PersonFactory, province
from kaynak.programmes import services
from kaynak.programmes.links import registration_from_token
from kaynak.programmes.mail import MESSAGES, build_registration_message
from kaynak.programmes.models import Registration, RegistrationStatus
from kaynak.programmes.tasks import send_registration_mail
from kaynak.programmes.tests.factories import ActivityFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

smtp_server = accounts_fixtures.smtp_server  # a real SMTP server on 127.0.0.1, per test

ISTANBUL = ZoneInfo("Europe/Istanbul")
LINK = re.compile(r"https?://[^\s<>\"]+")
TITLE = "Proje Döngüsü Yönetimi: Çağrı Hazırlığı"


@pytest.fixture(autouse=True)
def _first_of_march_2027(time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 1, 9, 0, tzinfo=ISTANBUL))
    CenterSettings.objects.update_or_create(
        pk=1,
        defaults={"name_tr": "Sivil Toplum Merkezi", "name_en": "Civil Society Centre"},
    )


def activity(*, online: bool = False, **kwargs):
    """A training on Friday 12 March 2027, 10:00–16:00 Istanbul time (07:00 UTC)."""
    activity = ActivityFactory.create(title=TITLE, **kwargs)
    SessionFactory.create(
        activity=activity,
        starts_at=dt.datetime(2027, 3, 12, 10, 0, tzinfo=ISTANBUL),
        ends_at=dt.datetime(2027, 3, 12, 16, 0, tzinfo=ISTANBUL),
        online=online,
        province=None if online else province(6),
        venue="" if online else "Çankaya Kültür Merkezi",
        meeting_url="https://meet.example.org/proje-dongusu" if online else "",
    )
    return activity


def register(activity, captured, *, language: str = "tr", name: str = "Ayşe Işıkoğlu"):
    person = PersonFactory.create(full_name=name)
    with captured(execute=True):
        return services.register(
            activity=activity, person=person, email=person.emails[0], language=language
        )


def links(mail) -> list[str]:
    return LINK.findall(mail.text)


def page_of(link: str, language: str):
    """The URL name and the registration a signed link in a mail leads to."""
    with translation.override(language):
        match = resolve(urlsplit(link).path)
    return match.url_name, registration_from_token(match.kwargs["token"])


def test_the_confirmation_speaks_turkish_with_istanbul_times_and_the_code(
    smtp_server, django_capture_on_commit_callbacks
):
    registration = register(activity(), django_capture_on_commit_callbacks)

    [mail] = smtp_server.received
    assert mail.recipients == [registration.email]
    subject = mail.message["Subject"]
    assert subject.startswith("[Sivil Toplum Merkezi] ")
    assert TITLE in subject
    assert "Sivil Toplum Merkezi" in mail.message["From"]
    assert "Ayşe Işıkoğlu" in mail.text
    assert "12 Mart 2027 Cuma, 10:00–16:00" in mail.text  # Istanbul time, not 07:00 UTC
    assert "Çankaya Kültür Merkezi, Ankara" in mail.text
    assert registration.code in mail.text
    [link] = links(mail)
    assert not urlsplit(link).path.startswith("/en/")
    assert page_of(link, "tr") == ("registration", registration)


def test_the_confirmation_speaks_english_to_those_who_registered_in_english(
    smtp_server, django_capture_on_commit_callbacks
):
    registration = register(activity(), django_capture_on_commit_callbacks, language="en")

    [mail] = smtp_server.received
    assert mail.message["Subject"] == f"[Civil Society Centre] Registration confirmed: {TITLE}"
    assert "Hello Ayşe Işıkoğlu," in mail.text
    assert f"Your seat in “{TITLE}” is confirmed." in mail.text
    assert f"Your registration code is {registration.code}." in mail.text
    assert "Friday 12 March 2027, 10:00–16:00" in mail.text
    [link] = links(mail)
    assert urlsplit(link).path.startswith("/en/")
    assert page_of(link, "en") == ("registration", registration)


def test_the_confirmation_carries_the_code_as_a_qr_code_png(
    smtp_server, django_capture_on_commit_callbacks
):
    registration = register(activity(), django_capture_on_commit_callbacks)

    [mail] = smtp_server.received
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    assert attachment.get_filename() == f"{registration.code}.png"
    image = Image.open(io.BytesIO(attachment.get_content()))
    assert image.format == "PNG"
    # Read the modules back (10 pixels each, 4 modules of quiet zone): they are the QR code
    # of the registration code, as a phone would decode it.
    expected = segno.make_qr(registration.code, error="m")
    assert not expected.is_micro  # a full QR code: phones do not read Micro QR
    size = len(expected.matrix)
    width = (size + 8) * 10
    assert image.size == (width, width)
    grey = image.convert("L").tobytes()  # one byte a pixel, row after row
    modules = [
        [grey[((row + 4) * 10 + 5) * width + (col + 4) * 10 + 5] < 128 for col in range(size)]
        for row in range(size)
    ]
    assert modules == [[bool(module) for module in row] for row in expected.matrix]


def test_the_html_alternative_says_the_same_with_real_links(
    smtp_server, django_capture_on_commit_callbacks
):
    activity_with_ampersand = activity()
    activity_with_ampersand.title = "Kadın & Gençlik Örgütleri İçin Hibe Yazımı"
    activity_with_ampersand.save()
    register(activity_with_ampersand, django_capture_on_commit_callbacks, language="en")

    [mail] = smtp_server.received
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert "Kadın &amp; Gençlik Örgütleri İçin Hibe Yazımı" in html
    assert "Kadın & Gençlik Örgütleri İçin Hibe Yazımı" in mail.text  # plain text unescaped
    [link] = links(mail)
    assert f'<a href="{link}">See or cancel your registration</a>' in html
    assert "Friday 12 March 2027, 10:00–16:00" in html


def test_a_waitlisted_registrant_learns_their_place_in_the_queue(
    smtp_server, django_capture_on_commit_callbacks
):
    full = activity(capacity=1, offer_hours=24)
    register(full, django_capture_on_commit_callbacks)
    register(full, django_capture_on_commit_callbacks, name="Mehmet Öztürk")
    register(full, django_capture_on_commit_callbacks, name="Gül Şahin", language="en")

    confirmed, first_waiting, second_waiting = smtp_server.received
    assert len(list(confirmed.message.iter_attachments())) == 1
    assert list(first_waiting.message.iter_attachments()) == []
    assert "Gül Şahin" in second_waiting.text
    assert f"“{TITLE}” is full, so you are on its waiting list, number 2." in second_waiting.text
    assert "you will have 24 hours to take it" in second_waiting.text


def test_an_offered_seat_names_the_istanbul_time_it_lapses_in_either_language(
    smtp_server, django_capture_on_commit_callbacks
):
    full = activity(capacity=1, offer_hours=48)
    holder = register(full, django_capture_on_commit_callbacks)
    turkish = register(full, django_capture_on_commit_callbacks, name="Mehmet Öztürk")
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=holder)

    cancelled, offered = smtp_server.received
    assert cancelled.recipients == [holder.email]
    assert offered.recipients == [turkish.email]
    # Offered on Monday 1 March at 09:00 for 48 hours: until Wednesday 3 March, 09:00.
    assert "3 Mart 2027 Çarşamba, 09:00" in offered.text
    [link] = links(offered)
    assert page_of(link, "tr") == ("registration", turkish)

    turkish.refresh_from_db()
    turkish.language = "en"
    mail = build_registration_message(turkish, "offered")
    assert "take it by Wednesday 3 March 2027, 09:00 (Istanbul time)" in mail.body
    assert "Take the seat:" in mail.body


def test_the_cancellation_says_so_and_offers_no_cancel_link(
    smtp_server, django_capture_on_commit_callbacks
):
    CenterSettings.objects.filter(pk=1).update(email="egitim@merkez.org.tr")
    registration = register(activity(), django_capture_on_commit_callbacks, language="en")
    smtp_server.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=registration)

    [mail] = smtp_server.received
    assert mail.message["Subject"] == f"[Civil Society Centre] Registration cancelled: {TITLE}"
    assert f"Your registration for “{TITLE}” is cancelled." in mail.text
    assert "If this is a mistake, write to us at egitim@merkez.org.tr." in mail.text
    assert mail.message["Reply-To"] == "egitim@merkez.org.tr"
    assert links(mail) == []


def test_a_change_mail_lists_the_sessions_as_they_are_now(
    smtp_server, django_capture_on_commit_callbacks
):
    training = activity()
    registration = register(training, django_capture_on_commit_callbacks, language="en")
    smtp_server.received.clear()
    training.sessions.update(
        starts_at=dt.datetime(2027, 3, 19, 13, 30, tzinfo=ISTANBUL),
        ends_at=dt.datetime(2027, 3, 19, 17, 0, tzinfo=ISTANBUL),
    )

    with django_capture_on_commit_callbacks(execute=True):
        send_registration_mail.enqueue(registration.pk, "changed")

    [mail] = smtp_server.received
    assert mail.message["Subject"] == f"[Civil Society Centre] Change in {TITLE}"
    assert "Friday 19 March 2027, 13:30–17:00" in mail.text
    assert "12 March" not in mail.text


def test_seat_holders_get_the_meeting_link_and_the_waiting_list_does_not(
    smtp_server, django_capture_on_commit_callbacks
):
    webinar = activity(online=True, capacity=1)
    register(webinar, django_capture_on_commit_callbacks, language="en")
    register(webinar, django_capture_on_commit_callbacks, language="en", name="Mehmet Öztürk")

    confirmed, waitlisted = smtp_server.received
    assert "Online" in confirmed.text
    assert "Join: https://meet.example.org/proje-dongusu" in confirmed.text
    assert "meet.example.org" not in waitlisted.text
    assert "meet.example.org" not in waitlisted.message.get_body(("html",)).get_content()


def test_the_survey_invitation_links_to_the_survey(smtp_server, django_capture_on_commit_callbacks):
    registration = RegistrationFactory.create(activity=activity(), language="en")

    with django_capture_on_commit_callbacks(execute=True):
        send_registration_mail.enqueue(registration.pk, "feedback")

    [mail] = smtp_server.received
    assert mail.message["Subject"] == f"[Civil Society Centre] How was {TITLE}?"
    [link] = links(mail)
    assert page_of(link, "en") == ("feedback", registration)


def test_a_mail_that_no_longer_applies_is_not_sent(smtp_server, django_capture_on_commit_callbacks):
    # "Seat offered" queued, then the person took the seat before the worker got to it.
    registration = RegistrationFactory.create(activity=activity())

    with django_capture_on_commit_callbacks(execute=True):
        result = send_registration_mail.enqueue(registration.pk, "offered")

    result.refresh()
    assert result.return_value is False
    assert smtp_server.received == []


STATUS_FOR = {
    "confirmed": RegistrationStatus.CONFIRMED,
    "waitlisted": RegistrationStatus.WAITLISTED,
    "offered": RegistrationStatus.OFFERED,
    "cancelled": RegistrationStatus.CANCELLED,
    "lapsed": RegistrationStatus.LAPSED,
    "changed": RegistrationStatus.CONFIRMED,
    "reminder-2d": RegistrationStatus.CONFIRMED,
    "reminder-2h": RegistrationStatus.OFFERED,
    "feedback": RegistrationStatus.CONFIRMED,
}


@pytest.mark.parametrize("language", ["tr", "en"])
@pytest.mark.parametrize("message", sorted(MESSAGES))
def test_every_message_renders_whole_in_both_languages(message, language):
    training = activity(online=True, capacity=30, feedback_anonymous=True)
    registration = RegistrationFactory.create(
        activity=training,
        language=language,
        status=STATUS_FOR[message],
        offer_expires_at=dt.datetime(2027, 3, 3, 9, 0, tzinfo=ISTANBUL),
        person=PersonFactory.create(full_name="Şükrü Ağaoğlu"),
    )

    mail = build_registration_message(
        Registration.objects.get(pk=registration.pk), message, session=training.sessions.get()
    )

    html = str(mail.alternatives[0][0])
    body = str(mail.body)
    assert TITLE in mail.subject
    assert "Şükrü Ağaoğlu" in body
    assert "Şükrü Ağaoğlu" in html
    for rendered in (mail.subject, body, html):
        assert "{{" not in rendered
        assert "{%" not in rendered
        # A rendered empty value reads "None" as a word; a signed link may hold those letters.
        assert not re.search(r"\bNone\b", str(rendered))
    assert "\n\n\n" not in body
    for link in LINK.findall(body):
        assert f'<a href="{link}">' in html

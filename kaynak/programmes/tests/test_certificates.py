"""Certificates: who may get one, bulk issue, re-issue after a name correction, revoke."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from kaynak.core.models import AuditEntry
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import certificates, services
from kaynak.programmes.certificates import CertificateError
from kaynak.programmes.models import Certificate, RegistrationStatus
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    attended,
    past_activity_with_sessions,
)

pytestmark = pytest.mark.django_db


def registrant(activity, name: str = "Işıl Çağlar Şahinoğlu", **kwargs):
    return RegistrationFactory.create(
        activity=activity, person=PersonFactory.create(full_name=name), **kwargs
    )


def test_a_registrant_who_completed_gets_a_certificate_of_their_name_days_and_hours():
    activity = past_activity_with_sessions(3)
    registration = attended(registrant(activity))
    sessions = list(activity.sessions.all())

    certificate = certificates.issue_certificate(registration=registration)

    assert certificate.holder_name == "Işıl Çağlar Şahinoğlu"
    assert certificate.activity_title == activity.title
    assert certificate.first_day == timezone.localdate(sessions[0].starts_at)
    assert certificate.last_day == timezone.localdate(sessions[-1].starts_at)
    assert certificate.hours == Decimal("18.00")
    assert certificate.is_valid
    assert AuditEntry.objects.filter(
        action="kaynak.programmes.certificate.issued", object_id=str(certificate.pk)
    ).exists()


def test_the_certificate_counts_only_the_hours_attended():
    activity = past_activity_with_sessions(5)  # 80 %: four of five sessions complete it
    registration = attended(registrant(activity), sessions=4)

    certificate = certificates.issue_certificate(registration=registration)

    assert certificate.hours == Decimal("24.00")


def test_a_registrant_who_did_not_complete_is_refused_with_the_reason():
    activity = past_activity_with_sessions(3)
    registration = attended(registrant(activity, name="Oğuz Kaya"), sessions=1)

    with pytest.raises(CertificateError) as refused:
        certificates.issue_certificate(registration=registration)

    assert refused.value.code == "not_completed"
    assert "Oğuz Kaya attended 1 of 3 sessions" in str(refused.value.message)
    assert "80%" in str(refused.value.message)
    assert not Certificate.objects.exists()


def test_an_activity_without_certificates_issues_none():
    activity = past_activity_with_sessions(1, certificates=False)
    registration = attended(registrant(activity))

    with pytest.raises(CertificateError) as refused:
        certificates.issue_certificate(registration=registration)

    assert refused.value.code == "no_certificates"


def test_someone_without_a_confirmed_seat_is_refused():
    activity = past_activity_with_sessions(1)
    registration = attended(registrant(activity))
    registration.status = RegistrationStatus.CANCELLED
    registration.save()

    with pytest.raises(CertificateError) as refused:
        certificates.issue_certificate(registration=registration)

    assert refused.value.code == "no_seat"


def test_a_second_valid_certificate_for_the_same_registration_is_refused():
    activity = past_activity_with_sessions(1)
    registration = attended(registrant(activity))
    first = certificates.issue_certificate(registration=registration)

    with pytest.raises(CertificateError) as refused:
        certificates.issue_certificate(registration=registration)

    assert refused.value.code == "already"
    assert first.code in str(refused.value.message)
    assert Certificate.objects.count() == 1


def test_bulk_issue_certifies_everyone_who_completed_and_says_who_was_skipped_and_why():
    activity = past_activity_with_sessions(2)
    ayse = attended(registrant(activity, name="Ayşe Demir"))
    cem = attended(registrant(activity, name="Cem Öztürk"))
    already = attended(registrant(activity, name="Şule Arı"))
    held = certificates.issue_certificate(registration=already)
    half = attended(registrant(activity, name="İlker Uğur"), sessions=1)
    registrant(activity, name="Gül Bekler", status=RegistrationStatus.WAITLISTED)

    result = certificates.issue_certificates(activity=activity)

    assert sorted(c.holder_name for c in result.issued) == ["Ayşe Demir", "Cem Öztürk"]
    skipped = {registration.pk: reason for registration, reason in result.skipped}
    assert set(skipped) == {already.pk, half.pk}
    assert held.code in skipped[already.pk]
    assert "attended 1 of 2 sessions" in skipped[half.pk]
    assert Certificate.objects.filter(registration__in=[ayse, cem]).count() == 2
    assert AuditEntry.objects.filter(
        action="kaynak.programmes.certificate.bulk_issued", object_id=str(activity.pk)
    ).exists()


def test_bulk_issue_twice_issues_nothing_the_second_time():
    activity = past_activity_with_sessions(1)
    attended(registrant(activity))
    certificates.issue_certificates(activity=activity)

    again = certificates.issue_certificates(activity=activity)

    assert again.issued == []
    assert len(again.skipped) == 1
    assert Certificate.objects.count() == 1


def test_reissue_after_a_name_correction_revokes_the_old_one_and_points_to_the_new():
    activity = past_activity_with_sessions(2)
    registration = attended(registrant(activity, name="Isil Caglar Sahinoglu"))
    old = certificates.issue_certificate(registration=registration)
    registration.person.full_name = "Işıl Çağlar Şahinoğlu"
    registration.person.save()

    new = certificates.reissue_certificate(certificate=old)

    old.refresh_from_db()
    assert not old.is_valid
    assert old.revoked_reason == certificates.NAME_CORRECTED
    assert old.replaced_by == new
    assert new.is_valid
    assert new.code != old.code
    assert new.holder_name == "Işıl Çağlar Şahinoğlu"
    assert (new.first_day, new.last_day, new.hours, new.activity_title) == (
        old.first_day,
        old.last_day,
        old.hours,
        old.activity_title,
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "kaynak.programmes.certificate.revoked",
        "kaynak.programmes.certificate.reissued",
    } <= actions


def test_reissue_takes_a_typed_name_over_the_persons():
    activity = past_activity_with_sessions(1)
    old = certificates.issue_certificate(registration=attended(registrant(activity)))

    new = certificates.reissue_certificate(certificate=old, holder_name="  Işıl   Çağlar ")

    assert new.holder_name == "Işıl Çağlar"


def test_reissue_with_the_same_name_is_refused_and_changes_nothing():
    activity = past_activity_with_sessions(1)
    old = certificates.issue_certificate(registration=attended(registrant(activity)))

    with pytest.raises(CertificateError) as refused:
        certificates.reissue_certificate(certificate=old)

    assert refused.value.code == "same_name"
    old.refresh_from_db()
    assert old.is_valid
    assert Certificate.objects.count() == 1


def test_revoking_records_the_date_and_reason():
    activity = past_activity_with_sessions(1)
    certificate = certificates.issue_certificate(registration=attended(registrant(activity)))

    certificates.revoke_certificate(certificate=certificate, reason="  Issued by mistake ")

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Issued by mistake"
    assert certificates.revocation_reason(certificate) == "Issued by mistake"


def test_revoking_without_a_reason_is_refused():
    activity = past_activity_with_sessions(1)
    certificate = certificates.issue_certificate(registration=attended(registrant(activity)))

    with pytest.raises(CertificateError) as refused:
        certificates.revoke_certificate(certificate=certificate, reason="   ")

    assert refused.value.code == "reason"
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_a_revoked_certificate_cannot_be_revoked_or_reissued_again():
    activity = past_activity_with_sessions(1)
    certificate = certificates.issue_certificate(registration=attended(registrant(activity)))
    certificates.revoke_certificate(certificate=certificate, reason="Duplicate")

    with pytest.raises(CertificateError) as revoked_twice:
        certificates.revoke_certificate(certificate=certificate, reason="Again")
    with pytest.raises(CertificateError) as reissued:
        certificates.reissue_certificate(certificate=certificate, holder_name="Başka Ad")

    assert revoked_twice.value.code == reissued.value.code == "revoked"


def test_after_revoking_a_new_certificate_may_be_issued():
    activity = past_activity_with_sessions(1)
    registration = attended(registrant(activity))
    first = certificates.issue_certificate(registration=registration)
    certificates.revoke_certificate(certificate=first, reason="Wrong hours")

    second = certificates.issue_certificate(registration=registration)

    assert second.is_valid
    assert second.code != first.code


@pytest.mark.parametrize("sessions", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("percent", [50, 80, 100])
def test_completion_follows_the_registration_services_rule(sessions, percent):
    activity = past_activity_with_sessions(5, completion_percent=percent)
    registration = attended(registrant(activity), sessions=sessions)

    completion = certificates.completion_of(registration)
    (row,) = certificates.certificate_rows(activity)

    assert completion.completed == services.has_completed(registration)
    assert row.completion.completed == services.has_completed(registration)
    assert completion.hours == row.completion.hours == services.attended_hours(registration)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7kx4m9qr2t", "7KX4M9QR2T"),
        (" 7KX4-M9QR-2T ", "7KX4M9QR2T"),
        ("7KX4 M9QR 2T", "7KX4M9QR2T"),
    ],
)
def test_a_code_is_found_however_it_is_typed(typed, stored):
    activity = past_activity_with_sessions(1)
    certificate = certificates.issue_certificate(registration=attended(registrant(activity)))
    Certificate.objects.filter(pk=certificate.pk).update(code=stored)

    assert certificates.certificate_by_code(typed) == Certificate.objects.get(code=stored)


@pytest.mark.parametrize("code", ["NOSUCHCODE", "", "../../etc", "0O1IL0O1IL", "A" * 40])
def test_an_unknown_or_malformed_code_finds_nothing(code):
    activity = past_activity_with_sessions(1)
    certificates.issue_certificate(registration=attended(registrant(activity)))

    assert certificates.certificate_by_code(code) is None


def test_the_rows_of_an_activity_take_the_same_queries_however_many_registrants(
    django_assert_num_queries,
):
    activity = past_activity_with_sessions(2)
    for _ in range(2):
        certificates.issue_certificate(registration=attended(registrant(activity)))
    with django_assert_num_queries(4):
        assert len(certificates.certificate_rows(activity)) == 2
    for _ in range(4):
        attended(registrant(activity), sessions=1)

    with django_assert_num_queries(4):
        rows = certificates.certificate_rows(activity)

    assert len(rows) == 6
    assert sum(1 for row in rows if row.valid) == 2


def test_the_rows_are_in_turkish_alphabetical_order():
    activity = past_activity_with_sessions(1)
    for name in ["Zeynep Ak", "Çiğdem Tan", "Cem Ay", "İpek Su", "Irmak Öz", "Şule Er", "Sena Ün"]:
        registrant(activity, name=name)

    names = [row.registration.person.full_name for row in certificates.certificate_rows(activity)]

    assert names == [
        "Cem Ay",
        "Çiğdem Tan",
        "Irmak Öz",
        "İpek Su",
        "Sena Ün",
        "Şule Er",
        "Zeynep Ak",
    ]


@pytest.mark.parametrize(
    ("language", "first", "last", "expected"),
    [
        ("tr", (2026, 3, 12), (2026, 3, 12), "12 Mart 2026"),
        ("tr", (2026, 3, 10), (2026, 3, 12), "10–12 Mart 2026"),
        ("tr", (2026, 2, 28), (2026, 3, 2), "28 Şubat – 2 Mart 2026"),
        ("tr", (2025, 12, 30), (2026, 1, 2), "30 Aralık 2025 – 2 Ocak 2026"),
        ("en", (2026, 3, 10), (2026, 3, 12), "10–12 March 2026"),
    ],
)
def test_days_read_naturally_in_each_language(language, first, last, expected):
    import datetime as dt

    from django.utils import translation

    with translation.override(language):
        assert certificates.format_days(dt.date(*first), dt.date(*last)) == expected


@pytest.mark.parametrize(
    ("language", "hours", "expected"),
    [("tr", "18.00", "18"), ("tr", "17.50", "17,5"), ("en", "17.50", "17.5"), ("tr", "10", "10")],
)
def test_hours_print_without_needless_decimals(language, hours, expected):
    from django.utils import translation

    with translation.override(language):
        assert certificates.format_hours(Decimal(hours)) == expected

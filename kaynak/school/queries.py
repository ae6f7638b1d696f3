"""Named reads of the school: cohorts for staff, a member's own participations, a cohort's
modules with their dates and places."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from kaynak.core.text import sort_key
from kaynak.directory.models import Person
from kaynak.school.models import Cohort, Graduation, Participant, ParticipantStatus


def staff_cohorts() -> QuerySet[Cohort]:
    """Every cohort, newest first, with its modules and active participants counted."""
    return (
        Cohort.objects.select_related("programme", "call")
        .annotate(
            module_count=Count("modules", distinct=True),
            participant_count=Count(
                "participants",
                filter=Q(participants__status=ParticipantStatus.ACTIVE),
                distinct=True,
            ),
        )
        .order_by("-year", "name", "pk")
    )


def cohort_for_staff(slug: str) -> Cohort:
    try:
        return Cohort.objects.select_related("programme", "call").get(slug=slug)
    except Cohort.DoesNotExist:
        raise Http404 from None


def withdrawn_participants(cohort: Cohort) -> list[Participant]:
    people = list(
        cohort.participants.filter(status=ParticipantStatus.WITHDRAWN).select_related(
            "person", "organisation"
        )
    )
    people.sort(key=lambda p: sort_key(p.person.full_name))
    return people


def participant_for_staff(cohort: Cohort, pk: int) -> Participant:
    try:
        return cohort.participants.select_related("person", "organisation", "cohort").get(pk=pk)
    except Participant.DoesNotExist:
        raise Http404 from None


def participations_of_user(user: Any) -> list[Participant]:
    """The cohorts the member's person takes (or took) part in, newest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    person = Person.objects.filter(user=user, erased_at__isnull=True).first()
    if person is None:
        return []
    return list(
        Participant.objects.filter(person=person)
        .select_related("cohort", "organisation", "person")
        .order_by("-cohort__year", "-pk")
    )


def graduation_of_user(user: Any, code: str) -> Graduation:
    """The member's own graduation by code; 404 for anyone else's."""
    person = Person.objects.filter(user=user, erased_at__isnull=True).first()
    try:
        return Graduation.objects.select_related("participant__person").get(
            code=code, participant__person=person
        )
    except Graduation.DoesNotExist:
        raise Http404 from None


def graduation_for_staff(code: str) -> Graduation:
    try:
        return Graduation.objects.select_related("participant__person", "participant__cohort").get(
            code=code
        )
    except Graduation.DoesNotExist:
        raise Http404 from None

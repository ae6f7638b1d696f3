"""Services of the NGO–academia programme: academics, partnership requests, partnerships, their
activities (ledger deliveries of kind "academia") and outputs (publications, also library items).

Every refused change raises ``CoachingError`` (with ``fields`` for forms) and writes nothing:
each service runs in one transaction, and the ledger and the library are written inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.calls.models import Application, ApplicationStatus
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.models import (
    AcademicProfile,
    OutputKind,
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipOutput,
    PartnershipRequest,
    PartnershipRound,
    PartnershipStatus,
    RequestStatus,
)
from kaynak.core.audit import log_action
from kaynak.core.db import free_slug, set_related
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.ledger.services import record_deliveries, withdraw_deliveries
from kaynak.library.models import PublicationStatus, Resource, ResourceKind
from kaynak.library.services import ResourceInvalid, resource_delete, resource_save
from kaynak.programmes.registering import Applicant, person_for_applicant

DELIVERY_KIND = "academia"

# The languages an academic may list (ISO 639-1), in the order forms offer them.
LANGUAGES: dict[str, Promise] = {
    "tr": _("Turkish"),
    "en": _("English"),
    "ku": _("Kurdish"),
    "ar": _("Arabic"),
    "de": _("German"),
    "fr": _("French"),
    "es": _("Spanish"),
    "ru": _("Russian"),
    "fa": _("Persian"),
    "el": _("Greek"),
    "hy": _("Armenian"),
    "it": _("Italian"),
}


def _required(value: str, field: str, message: str | Promise) -> str:
    text = " ".join(str(value or "").split()) if field != "needs" else str(value or "").strip()
    if not text:
        raise CoachingError(message, code="required", fields={field: message})
    return text


# Academics --------------------------------------------------------------------------------------


def clean_languages(languages: Iterable[str]) -> list[str]:
    """The codes, lower-cased, without repeats; an unknown code is refused by name."""
    codes: list[str] = []
    for raw in languages:
        code = str(raw).strip().lower()
        if not code:
            continue
        if code not in LANGUAGES:
            message = _("“%(code)s” is not a language code we know; use one of: %(codes)s.") % {
                "code": code,
                "codes": ", ".join(LANGUAGES),
            }
            raise CoachingError(message, code="language", fields={"languages": message})
        if code not in codes:
            codes.append(code)
    return codes


def academic_person(*, full_name: str, email: str, actor: Any) -> Person:
    """The directory's person for an academic typed by name and e-mail: the resolver's same
    person when the address agrees (never a duplicate), else a new person."""
    name = _required(full_name, "full_name", _("Enter the academic's full name."))
    address = str(email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        message = _("Enter the academic's e-mail address, so that they are not added twice.")
        raise CoachingError(message, code="email", fields={"email": message}) from None
    return person_for_applicant(Applicant(full_name=name, email=address), user=actor)


@transaction.atomic
def academic_save(
    *,
    person: Person,
    title: str,
    institution: str,
    actor: Any,
    department: str = "",
    themes: Iterable[Theme] = (),
    expertise: str = "",
    provinces: Iterable[Province] = (),
    languages: Iterable[str] = (),
    is_available: bool = True,
) -> AcademicProfile:
    """Make ``person`` an academic, or change their academic profile."""
    if person.erased_at is not None:
        raise CoachingError(_("This person's data was erased; they cannot be an academic."))
    institution = _required(
        institution, "institution", _("Enter the academic's university or institution.")
    )
    codes = clean_languages(languages)
    profile = AcademicProfile.objects.select_for_update().filter(person=person).first()
    created = profile is None
    if profile is None:
        profile = AcademicProfile(person=person)
    profile.title = " ".join(str(title or "").split())[:40]
    profile.institution = institution[:200]
    profile.department = " ".join(str(department or "").split())[:200]
    profile.expertise = str(expertise or "").strip()
    profile.languages = codes
    profile.is_available = bool(is_available)
    profile.save()
    set_related(profile, "themes", list(themes))
    set_related(profile, "provinces", list(provinces))
    log_action(
        f"kaynak.coaching.academic.{'created' if created else 'changed'}",
        actor=actor,
        target=profile,
        data={"person": person.pk},
    )
    return profile


def _academic_of(academic: AcademicProfile | Person) -> AcademicProfile:
    """The academic profile to pair; a person without one is refused by name."""
    if isinstance(academic, AcademicProfile):
        profile: AcademicProfile | None = academic
        person = academic.person
    else:
        person = academic
        profile = AcademicProfile.objects.filter(person=person).first()
    if profile is None or person.erased_at is not None:
        message = _("%(name)s is not in the academics list; add their academic profile first.") % {
            "name": person.full_name
        }
        raise CoachingError(message, code="not_academic", fields={"academic": message})
    return profile


# Requests ---------------------------------------------------------------------------------------


@transaction.atomic
def request_save(
    *,
    organisation: Organisation,
    needs: str,
    actor: Any,
    themes: Iterable[Theme] | None = None,
    province: Province | None = None,
    request: PartnershipRequest | None = None,
    round: PartnershipRound | None = None,
    application: Application | None = None,
) -> PartnershipRequest:
    """File an organisation's request (or change an open one), maybe from its accepted
    ``application``. The province and themes default to the organisation's."""
    needs = _required(needs, "needs", _("Say what the organisation wants to work on."))
    if request is not None and request.status != RequestStatus.OPEN:
        raise CoachingError(
            _("This request is no longer waiting for a match; it cannot be changed."),
            code="not_open",
        )
    created = request is None
    if request is None:
        request = PartnershipRequest(
            organisation=organisation, round=round, application=application
        )
    request.organisation = organisation
    request.needs = needs
    request.province = province or organisation.province
    request.save()
    chosen = list(themes) if themes is not None else []
    if not chosen:
        chosen = list(organisation.themes.all())
    set_related(request, "themes", chosen)
    log_action(
        f"kaynak.coaching.request.{'filed' if created else 'changed'}",
        actor=actor,
        target=request,
        data={"organisation": organisation.pk}
        | ({"application": application.code} if application else {}),
    )
    return request


@transaction.atomic
def request_close(*, request: PartnershipRequest, actor: Any) -> PartnershipRequest:
    """Close an open request without a match (the organisation no longer wants one)."""
    if request.status != RequestStatus.OPEN:
        raise CoachingError(_("Only a request waiting for a match can be closed."))
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    log_action("kaynak.coaching.request.closed", actor=actor, target=request)
    return request


def _themes_from(value: Any) -> list[Theme]:
    values = value if isinstance(value, list) else [value]
    slugs = [str(item).strip() for item in values if str(item or "").strip()]
    return list(Theme.objects.filter(slug__in=slugs)) if slugs else []


def _needs_from(application: Application, round: PartnershipRound) -> str:
    answers: Mapping[str, Any] = application.answers or {}
    needs = str(answers.get(round.needs_question) or "").strip() if round.needs_question else ""
    if needs:
        return needs
    # No needs question (or no answer): the application's written answers stand for them.
    texts = [str(v).strip() for v in answers.values() if isinstance(v, str) and " " in v.strip()]
    return "\n\n".join(texts) or str(
        _("Stated in application %(code)s.") % {"code": application.code}
    )


def apply_decision(*, application: Application, previous: str) -> None:
    """An application of a partnership round's call accepted → an open request (once); no
    longer accepted → its request removed, refused once it is matched."""
    round = PartnershipRound.objects.filter(call_id=application.call_id).first()
    if round is None:
        return
    existing = PartnershipRequest.objects.filter(application=application).first()
    if application.status == ApplicationStatus.ACCEPTED:
        if existing is not None:
            return
        organisation = application.organisation
        if organisation is None:
            raise CoachingError(
                _("Application %(code)s names no organisation; a partnership needs one.")
                % {"code": application.code},
                code="no_organisation",
            )
        answers = application.answers or {}
        request_save(
            organisation=organisation,
            needs=_needs_from(application, round),
            themes=_themes_from(answers.get(round.themes_question))
            if round.themes_question
            else None,
            round=round,
            application=application,
            actor=None,
        )
        return
    if existing is None:
        return
    partnership = Partnership.objects.filter(request=existing).select_related("academic").first()
    if existing.status == RequestStatus.MATCHED or partnership is not None:
        raise CoachingError(
            _(
                "%(organisation)s is already paired with an academic through this application "
                "(“%(title)s”). End the partnership before changing the decision."
            )
            % {
                "organisation": existing.organisation.name,
                "title": partnership.title if partnership else "",
            },
            code="matched",
        )
    log_action(
        "kaynak.coaching.request.withdrawn",
        target=round,
        data={"application": application.code, "organisation": existing.organisation_id},
    )
    existing.delete()


# Partnerships -----------------------------------------------------------------------------------


def _check_partnership_fields(
    *, title: str, starts_on: dt.date | None, ends_on: dt.date | None = None
) -> str:
    title = _required(title, "title", _("Give the partnership a title."))
    if starts_on is None:
        message = _("Enter the day the partnership starts.")
        raise CoachingError(message, code="required", fields={"starts_on": message})
    if ends_on is not None and ends_on < starts_on:
        message = _("The partnership cannot end before it starts.")
        raise CoachingError(message, code="dates", fields={"ends_on": message})
    return title


def reserved_slugs() -> set[str]:
    """The first address segments the programme's own pages take ("staff", "my" in every
    language): a partnership with one of them could not be opened."""
    reserved = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name in ("academia:staff", "academia:mine"):
                reserved.add(reverse(name).rstrip("/").rsplit("/", 1)[-1])
    return reserved


def _new_partnership(
    *,
    organisation: Organisation,
    academic: AcademicProfile,
    title: str,
    theme: Theme,
    province: Province,
    goals: str,
    starts_on: dt.date,
    actor: Any,
    reason: str,
    request: PartnershipRequest | None,
) -> Partnership:
    partnership = Partnership.objects.create(
        slug=free_slug(
            Partnership.objects.all(),
            title,
            fallback="isbirligi",
            max_length=110,
            reserved=reserved_slugs(),
        ),
        title=title[:250],
        organisation=organisation,
        academic=academic,
        request=request,
        theme=theme,
        province=province,
        goals=str(goals or "").strip(),
        starts_on=starts_on,
        match_reason=str(reason or "").strip(),
        confirmed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        "kaynak.coaching.partnership.confirmed",
        actor=actor,
        target=partnership,
        data={
            "organisation": organisation.pk,
            "academic": academic.pk,
            "request": request.pk if request else None,
        },
    )
    return partnership


@transaction.atomic
def partnership_confirm(
    *,
    request: PartnershipRequest,
    academic: AcademicProfile | Person,
    title: str,
    theme: Theme,
    province: Province,
    goals: str,
    starts_on: dt.date,
    actor: Any,
    reason: str = "",
) -> Partnership:
    """Staff confirm a proposed pair: the partnership starts and the request is matched."""
    profile = _academic_of(academic)
    title = _check_partnership_fields(title=title, starts_on=starts_on)
    locked = PartnershipRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise CoachingError(_("This request is no longer waiting for a match."), code="not_open")
    partnership = _new_partnership(
        organisation=locked.organisation,
        academic=profile,
        title=title,
        theme=theme,
        province=province,
        goals=goals,
        starts_on=starts_on,
        actor=actor,
        reason=reason,
        request=locked,
    )
    locked.status = RequestStatus.MATCHED
    locked.save(update_fields=["status", "updated_at"])
    request.status = locked.status
    return partnership


@transaction.atomic
def partnership_create(
    *,
    organisation: Organisation,
    academic: AcademicProfile | Person,
    title: str,
    theme: Theme,
    province: Province,
    goals: str,
    starts_on: dt.date,
    actor: Any,
    reason: str = "",
) -> Partnership:
    """A partnership staff arranged without a request (the pair found each other)."""
    profile = _academic_of(academic)
    title = _check_partnership_fields(title=title, starts_on=starts_on)
    return _new_partnership(
        organisation=organisation,
        academic=profile,
        title=title,
        theme=theme,
        province=province,
        goals=goals,
        starts_on=starts_on,
        actor=actor,
        reason=reason,
        request=None,
    )


@transaction.atomic
def partnership_update(
    *,
    partnership: Partnership,
    title: str,
    theme: Theme,
    province: Province,
    goals: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    status: str,
    actor: Any,
) -> Partnership:
    """Change a partnership's details and status; a completed one needs its end date."""
    title = _check_partnership_fields(title=title, starts_on=starts_on, ends_on=ends_on)
    if status not in PartnershipStatus.values:
        message = _("Choose a status from the list.")
        raise CoachingError(message, code="status", fields={"status": message})
    if status == PartnershipStatus.COMPLETED and ends_on is None:
        message = _("A completed partnership needs the day it ended.")
        raise CoachingError(message, code="ends_on", fields={"ends_on": message})
    before = partnership.status
    partnership.title = title[:250]
    partnership.theme = theme
    partnership.province = province
    partnership.goals = str(goals or "").strip()
    partnership.starts_on = starts_on
    partnership.ends_on = ends_on
    partnership.status = status
    partnership.save()
    log_action(
        "kaynak.coaching.partnership.changed",
        actor=actor,
        target=partnership,
        data={"status": [before, status]} if before != status else {},
    )
    return partnership


@transaction.atomic
def partnership_set_public(*, partnership: Partnership, is_public: bool, actor: Any) -> Partnership:
    """Show the partnership on the public pages (both sides consented) or take it off; its
    outputs' library items are published or returned to draft with it."""
    partnership.is_public = bool(is_public)
    partnership.save(update_fields=["is_public", "updated_at"])
    status = PublicationStatus.PUBLISHED if is_public else PublicationStatus.DRAFT
    for output in partnership.outputs.select_related("resource"):
        resource = output.resource
        if resource is not None and resource.status != status:
            resource.status = status
            _save_resource(resource, actor=actor, themes=None)
    log_action(
        f"kaynak.coaching.partnership.{'made_public' if is_public else 'made_private'}",
        actor=actor,
        target=partnership,
    )
    return partnership


# Activities → ledger ----------------------------------------------------------------------------


def _members(organisation: Organisation, people: Iterable[Person]) -> list[Person]:
    """The people of ``people`` affiliated with the organisation (its beneficiaries): the
    academic, or anyone from outside, takes part without a delivery of their own."""
    ids = {person.pk for person in people}
    affiliated = set(
        Affiliation.objects.filter(organisation=organisation, person_id__in=ids).values_list(
            "person_id", flat=True
        )
    )
    return [p for p in people if p.pk in affiliated and p.erased_at is None]


def _programme_name(partnership: Partnership) -> str:
    request = partnership.request
    if request is not None and request.round is not None:
        return request.round.programme.name
    return ""


def _record_deliveries(activity: PartnershipActivity) -> None:
    """One "academia" delivery per person of the organisation named (on its behalf), or the
    organisation's own when nobody of it is named (``ledger.services.record_deliveries``)."""
    partnership = activity.partnership
    organisation = partnership.organisation
    record_deliveries(
        source=activity,
        organisation=organisation,
        people=_members(organisation, list(activity.participants.all())),
        kind=DELIVERY_KIND,
        date=activity.date,
        province=activity.province or partnership.province,
        programme=_programme_name(partnership),
        activity=activity.title,
        themes=[partnership.theme],
    )


@transaction.atomic
def activity_save(
    *,
    partnership: Partnership,
    kind: str,
    title: str,
    date: dt.date | None,
    actor: Any,
    participants: Iterable[Person] = (),
    participant_count: int = 0,
    province: Province | None = None,
    note: str = "",
    activity: PartnershipActivity | None = None,
) -> PartnershipActivity:
    """Record (or change) something the partners did together: a delivery for the organisation
    and for each of its people who took part."""
    if kind not in PartnershipActivityKind.values:
        message = _("Choose what kind of activity it was.")
        raise CoachingError(message, code="kind", fields={"kind": message})
    title = _required(title, "title", _("Give the activity a title."))
    if date is None:
        message = _("Enter the day of the activity.")
        raise CoachingError(message, code="date", fields={"date": message})
    people = list({person.pk: person for person in participants}.values())
    count = int(participant_count or 0)
    if count < len(people):
        too_few = _(
            "The number of participants cannot be smaller than the %(count)d people named."
        ) % {"count": len(people)}
        raise CoachingError(too_few, code="count", fields={"participant_count": too_few})
    created = activity is None
    if activity is None:
        activity = PartnershipActivity(partnership=partnership)
    activity.kind = kind
    activity.title = title[:250]
    activity.date = date
    activity.province = province
    activity.participant_count = count
    activity.note = str(note or "").strip()
    activity.save()
    activity.participants.set(people)
    _record_deliveries(activity)
    log_action(
        f"kaynak.coaching.partnership_activity.{'recorded' if created else 'changed'}",
        actor=actor,
        target=partnership,
        data={"activity": activity.pk, "kind": kind, "participants": count},
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: PartnershipActivity, actor: Any) -> None:
    """Delete an activity; its deliveries are withdrawn."""
    partnership = activity.partnership
    withdraw_deliveries(source=activity)
    log_action(
        "kaynak.coaching.partnership_activity.deleted",
        actor=actor,
        target=partnership,
        data={"activity": activity.pk, "title": activity.title},
    )
    activity.delete()


# Outputs → library ------------------------------------------------------------------------------

# The library's field names → the output form's.
_LIBRARY_FIELDS = {"file": "file", "link_url": "link_url", "slug": "title", "title": "title"}


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _save_resource(resource: Resource, *, actor: Any, themes: list[Theme] | None) -> Resource:
    try:
        return resource_save(resource=resource, actor=actor, themes=themes)
    except ResourceInvalid as error:
        fields = {_LIBRARY_FIELDS.get(k, "file"): v for k, v in error.problems.items()}
        first = next(iter(fields.values()), error.message)
        raise CoachingError(first, code="library", fields=fields) from error


@transaction.atomic
def output_save(
    *,
    partnership: Partnership,
    kind: str,
    title: str,
    published_on: dt.date | None,
    actor: Any,
    authors: str = "",
    summary: str = "",
    file: UploadedFile[Any] | None = None,
    link_url: str = "",
    output: PartnershipOutput | None = None,
) -> PartnershipOutput:
    """Record (or change) a publication of the partnership; it is also a library publication,
    published when the partnership is public, else a draft."""
    if kind not in OutputKind.values:
        message = _("Choose what kind of publication it is.")
        raise CoachingError(message, code="kind", fields={"kind": message})
    title = _required(title, "title", _("Give the publication its title."))
    if published_on is None:
        message = _("Enter the day it was published.")
        raise CoachingError(message, code="published_on", fields={"published_on": message})
    link_url = str(link_url or "").strip()
    if link_url:
        try:
            URLValidator(schemes=["http", "https"])(link_url)
        except ValidationError:
            bad_link = _("Enter a web address starting with https://.")
            raise CoachingError(bad_link, code="link_url", fields={"link_url": bad_link}) from None
    created = output is None
    if output is None:
        output = PartnershipOutput(partnership=partnership)
    resource = output.resource or Resource(kind=ResourceKind.PUBLICATION)
    if resource._state.adding:
        resource.slug = free_slug(Resource.objects.all(), title, fallback="yayin", max_length=110)
    resource.title = title[:250]
    resource.summary = str(summary or "").strip()
    resource.link_url = link_url
    if file is not None:
        resource.file = file
    resource.status = (
        PublicationStatus.PUBLISHED if partnership.is_public else PublicationStatus.DRAFT
    )
    if resource.published_at is None:
        # The library dates the item by the publication, not by the moment it was recorded.
        resource.published_at = _noon(published_on)
    _save_resource(resource, actor=actor, themes=[partnership.theme])
    output.kind = kind
    output.title = title[:250]
    output.authors = " ".join(str(authors or "").split())[:300]
    output.published_on = published_on
    output.summary = resource.summary
    output.resource = resource
    output.save()
    log_action(
        f"kaynak.coaching.partnership_output.{'recorded' if created else 'changed'}",
        actor=actor,
        target=partnership,
        data={"output": output.pk, "resource": resource.pk},
    )
    return output


@transaction.atomic
def output_delete(*, output: PartnershipOutput, actor: Any) -> None:
    """Delete a publication and its library item (with its file)."""
    resource = output.resource
    log_action(
        "kaynak.coaching.partnership_output.deleted",
        actor=actor,
        target=output.partnership,
        data={"output": output.pk, "title": output.title},
    )
    output.delete()
    if resource is not None:
        resource_delete(resource=resource, actor=actor)

"""Applying to a call: the applicant's services (the only writers of drafts and submissions).

An application is started for an organisation (one the applicant works for, or one they name,
through the directory's "is this your organisation?" guard), saved as a draft as they type,
submitted before the deadline (which the server enforces, to the second), and may be withdrawn
until a decision. Every service runs in one transaction: a refused submission leaves the draft
exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kaynak.calls import answers as answer_rules
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationFile,
    ApplicationPerson,
    ApplicationStatus,
    Call,
    CallStatus,
    QuestionKind,
)
from kaynak.core.audit import log_action
from kaynak.directory import services as directory_services
from kaynak.directory.models import Affiliation, ConsentPurpose, Organisation
from kaynak.directory.normalize import normalize_email
from kaynak.programmes.registering import Applicant, OrganisationDecision, person_for_applicant

CONSENT_TEXT_VERSION = "calls-application-2027-1"
CONSENT_TEXT = _(
    "I agree that the center processes the data in this application (mine and that of the "
    "people it names, who know of it) to select participants, contact us and report on its "
    "work, as the privacy notice (KVKK) says."
)
CONSENT_SOURCE = "calls.application"


class DuplicateApplication(CallError):
    """The organisation already has an active application to a one-per-organisation call."""

    code = "duplicate"

    def __init__(self, message: Any, *, existing: Application) -> None:
        super().__init__(message)
        self.existing = existing


class SubmissionInvalid(CallError):
    """The application cannot be submitted as it is: ``errors`` by question key, and
    ``people_errors`` (messages about the people named)."""

    code = "invalid"

    def __init__(self, message: Any, *, errors: dict[str, str], people_errors: list[str]) -> None:
        super().__init__(message)
        self.errors = errors
        self.people_errors = people_errors


@dataclass(frozen=True)
class PersonRow:
    """A person the application names, as typed."""

    full_name: str = ""
    email: str = ""
    role: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.full_name.strip() or self.email.strip() or self.role.strip())


@dataclass
class DraftResult:
    """What ``save_draft`` kept, and what it reports (nothing refused the save)."""

    application: Application
    errors: dict[str, str] = field(default_factory=dict)
    people_errors: dict[int, str] = field(default_factory=dict)


# Times ---------------------------------------------------------------------------------------


def istanbul_time(moment: dt.datetime) -> str:
    """``moment`` as "15 March 2027, 17:00" in the site's time zone and active language."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'j F Y')}, {local:%H:%M}"


def closed_message(call: Call, now: dt.datetime) -> str:
    if now < call.opens_at:
        return str(
            _("This call opens on %(opens)s (Istanbul time).")
            % {"opens": istanbul_time(call.opens_at)}
        )
    return str(
        _("The deadline was %(deadline)s (Istanbul time); your application was not submitted.")
        % {"deadline": istanbul_time(call.closes_at)}
    )


def _require_open(call: Call, now: dt.datetime) -> None:
    if call.status != CallStatus.PUBLISHED:
        raise CallError(_("This call is not open for applications."), code="closed")
    if not call.is_open(now):
        raise CallError(closed_message(call, now), code="closed")


# Eligibility ---------------------------------------------------------------------------------


def eligibility_problem(call: Call, organisation: Organisation) -> str:
    """Why ``organisation`` may not apply to ``call`` ("" when it may)."""
    types = list(call.applicant_types.all())
    if types and organisation.legal_form_id not in {t.slug for t in types}:
        return str(
            _("This call is for %(types)s; %(organisation)s is recorded as %(form)s.")
            % {
                "types": ", ".join(t.label for t in types),
                "organisation": organisation.name,
                "form": organisation.legal_form.label
                if organisation.legal_form
                else _("an organisation of unknown legal form (ask the center to record it)"),
            }
        )
    provinces = list(call.provinces.all())
    if provinces and organisation.province_id not in {p.pk for p in provinces}:
        return str(
            _("This call is for organisations in %(provinces)s; %(organisation)s is in %(here)s.")
            % {
                "provinces": ", ".join(p.label for p in provinces),
                "organisation": organisation.name,
                "here": organisation.province.label
                if organisation.province
                else _("no recorded province (ask the center to record it)"),
            }
        )
    return ""


def active_application_of(call: Call, organisation: Organisation) -> Application | None:
    """The organisation's application to ``call`` that holds its one place, if any."""
    return (
        Application.objects.filter(call=call, organisation=organisation, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .first()
    )


# Starting ------------------------------------------------------------------------------------


@transaction.atomic
def start_application(
    *,
    call: Call,
    user: Any,
    organisation: OrganisationDecision,
    language: str,
    now: dt.datetime | None = None,
) -> Application:
    """A draft application of the user's person for an organisation: one they chose (an
    affiliation, or a known one the guard offered: they become affiliated) or a new one they
    named. Refused (nothing written) when the call is closed, the organisation is not eligible
    or already applied to a one-per-organisation call."""
    now = now or timezone.now()
    _require_open(call, now)
    person = directory_services.person_for_user(user=user)
    chosen = organisation.organisation
    if chosen is None:
        name = " ".join(organisation.new_name.split())
        if not name:
            raise CallError(_("Name the organisation you apply for."), code="organisation")
        chosen = directory_services.organisation_register(
            user=user, name=name, province=organisation.new_province, emails=[], phones=[]
        )
    # Locked: two drafts started at once for one organisation cannot both pass the check.
    chosen = Organisation.objects.select_for_update().get(pk=chosen.pk)
    problem = eligibility_problem(call, chosen)
    if problem:
        raise CallError(problem, code="not_eligible")
    existing = active_application_of(call, chosen)
    if (
        existing is not None
        and existing.user_id == getattr(user, "pk", None)
        and existing.status == ApplicationStatus.DRAFT
    ):
        return existing
    if existing is not None and call.one_per_organisation:
        raise DuplicateApplication(
            _(
                "%(organisation)s already has an application to this call (reference "
                "%(code)s): one application per organisation."
            )
            % {"organisation": chosen.name, "code": existing.code},
            existing=existing,
        )
    if not Affiliation.objects.filter(
        person=person, organisation=chosen, end_date__isnull=True
    ).exists():
        directory_services.affiliation_create(actor=user, person=person, organisation=chosen)
    application = Application.objects.create(
        call=call,
        organisation=chosen,
        person=person,
        user=user,
        status=ApplicationStatus.DRAFT,
        language=language[:2] if language[:2] in ("tr", "en") else "tr",
    )
    log_action(
        "kaynak.calls.application.started",
        actor=user,
        target=application,
        data={"call": call.pk, "organisation": chosen.pk},
    )
    return application


# Drafts --------------------------------------------------------------------------------------


def _lock_draft(application: Application) -> Application:
    locked = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if locked.status != ApplicationStatus.DRAFT:
        raise CallError(
            _("This application’s status is “%(status)s”: it can no longer be changed.")
            % {"status": locked.get_status_display()},
            code="not_draft",
        )
    return locked


def _row_problem(row: PersonRow) -> str:
    if not row.full_name.strip():
        return str(_("Write the person's full name."))
    try:
        normalize_email(row.email)
    except ValidationError as invalid:
        return " ".join(str(m) for m in invalid.messages)
    return ""


@transaction.atomic
def save_draft(
    *,
    application: Application,
    answers: Mapping[str, Any],
    people: list[PersonRow] | None = None,
    actor: Any,
    now: dt.datetime | None = None,
) -> DraftResult:
    """Keep what the applicant typed so far (autosave). Answers of the wrong kind are reported
    and not kept; answers too long are kept and reported (they block the submission); answers
    to questions no longer asked are dropped. ``people`` (when given) replace the rows."""
    now = now or timezone.now()
    locked = _lock_draft(application)
    _require_open(locked.call, now)
    files = set(locked.files.values_list("question_key", flat=True))
    clean, errors = answer_rules.validate(locked.call, answers, files, final=False)
    people_errors: dict[int, str] = {}
    if people is not None:
        kept = [row for row in people if not row.is_blank]
        locked.people.all().delete()
        ApplicationPerson.objects.bulk_create(
            ApplicationPerson(
                application=locked,
                position=position,
                full_name=" ".join(row.full_name.split())[:200],
                email=row.email.strip().lower()[:254],
                role=row.role.strip()[:120],
            )
            for position, row in enumerate(kept)
        )
        people_errors = {i: problem for i, row in enumerate(kept) if (problem := _row_problem(row))}
    changed = clean != locked.answers
    locked.answers = clean
    locked.save(update_fields=["answers", "updated_at"])
    if changed:
        log_action("kaynak.calls.application.draft_saved", actor=actor, target=locked)
    return DraftResult(application=locked, errors=errors, people_errors=people_errors)


@transaction.atomic
def upload_file(
    *,
    application: Application,
    question_key: str,
    stream: IO[bytes],
    name: str,
    size: int,
    actor: Any,
    now: dt.datetime | None = None,
) -> ApplicationFile:
    """Attach the file answering a file question of a draft (replacing the one before).
    Refused with the accepted types and size when its content is not one of them."""
    now = now or timezone.now()
    locked = _lock_draft(application)
    _require_open(locked.call, now)
    question = locked.call.questions.filter(key=question_key, kind=QuestionKind.FILE).first()
    if question is None:
        raise CallError(_("This question takes no file."), code="no_such_question")
    try:
        found = answer_rules.check_file(question, stream, name=name, size=size)
    except ValueError as refused:
        raise CallError(str(refused), code="file_refused") from refused
    previous = ApplicationFile.objects.filter(application=locked, question_key=question_key).first()
    if previous is not None:
        _delete_stored_on_commit(previous)
        previous.delete()
    original = name.replace("/", "_").replace("\\", "_")[-255:] or "file"
    stored = ApplicationFile(
        application=locked,
        question_key=question_key,
        original_name=original,
        content_type=found.content_type,
        size=size,
        uploaded_at=now,
    )
    stream.seek(0)
    stored.file.save(original, File(stream), save=False)
    stored.save()
    log_action(
        "kaynak.calls.application.file_uploaded",
        actor=actor,
        target=locked,
        data={"question": question_key, "type": found.name, "size": size},
    )
    return stored


def _delete_stored_on_commit(stored: ApplicationFile) -> None:
    name, storage = stored.file.name, stored.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def remove_file(
    *, application: Application, question_key: str, actor: Any, now: dt.datetime | None = None
) -> bool:
    """Take a file off a draft. Returns whether there was one."""
    locked = _lock_draft(application)
    _require_open(locked.call, now or timezone.now())
    stored = ApplicationFile.objects.filter(application=locked, question_key=question_key).first()
    if stored is None:
        return False
    _delete_stored_on_commit(stored)
    stored.delete()
    log_action(
        "kaynak.calls.application.file_removed",
        actor=actor,
        target=locked,
        data={"question": question_key},
    )
    return True


# Submitting and withdrawing ------------------------------------------------------------------


def _mail_on_commit(application: Application, message: str) -> None:
    from kaynak.calls import tasks  # the tasks import the mail, which imports this module

    pk = application.pk
    task = {"receipt": tasks.send_receipt_mail, "withdrawn": tasks.send_withdrawal_mail}[message]
    transaction.on_commit(lambda: task.enqueue(pk))


def people_problems(call: Call, rows: list[ApplicationPerson]) -> list[str]:
    """What is wrong with the people an application names, for its submission."""
    problems: list[str] = []
    label = call.people_heading or _("people")
    if len(rows) < call.people_min:
        problems.append(
            str(
                _("Name at least %(min)s (%(label)s); you named %(count)s.")
                % {"min": call.people_min, "label": label, "count": len(rows)}
            )
        )
    if len(rows) > call.people_max:
        problems.append(
            str(
                _("Name at most %(max)s (%(label)s); you named %(count)s.")
                % {"max": call.people_max, "label": label, "count": len(rows)}
            )
        )
    for row in rows:
        problem = _row_problem(PersonRow(row.full_name, row.email, row.role))
        if problem:
            problems.append(f"{row.full_name or row.email or '?'}: {problem}")
    emails = [row.email.lower() for row in rows]
    if len(set(emails)) < len(emails):
        problems.append(str(_("Each person needs their own e-mail address.")))
    return problems


@transaction.atomic
def submit(
    *,
    application: Application,
    actor: Any,
    consent: bool,
    now: dt.datetime | None = None,
) -> Application:
    """Submit a draft before the deadline (``now`` is the moment of submission: one second
    after the deadline is refused, with the deadline in Istanbul time). The answers are checked
    once more, the people named become persons of the directory (the same e-mail, the same
    person) affiliated to the organisation, the consent is recorded and the receipt is mailed
    after the commit. On any refusal nothing changes."""
    now = now or timezone.now()
    locked = _lock_draft(application)
    call = locked.call
    _require_open(call, now)
    if not consent:
        raise SubmissionInvalid(
            _("Please agree to the processing of the application's data, or we cannot take it."),
            errors={},
            people_errors=[],
        )
    questions = answer_rules.questions_of(call)
    files = {f.question_key: f for f in locked.files.all()}
    clean, errors = answer_rules.validate(
        call, locked.answers, files.keys(), final=True, questions=questions
    )
    rows = list(locked.people.order_by("position", "pk"))
    problems = people_problems(call, rows)
    if errors or problems:
        raise SubmissionInvalid(
            _("The application is not complete yet: see the marked answers."),
            errors=errors,
            people_errors=problems,
        )
    organisation = locked.organisation
    for row in rows:
        person = person_for_applicant(
            Applicant(
                full_name=row.full_name, email=normalize_email(row.email), language=locked.language
            ),
            user=None,
        )
        row.person = person
        row.email = normalize_email(row.email)
        row.save(update_fields=["person", "email"])
        if organisation is not None:
            directory_services.affiliation_create(
                actor=actor, person=person, organisation=organisation, role=row.role
            )
    # Files of questions no longer asked go with their answers.
    asked = answer_rules.visible_keys(questions, clean)
    for key, stored in files.items():
        if key not in asked:
            _delete_stored_on_commit(stored)
            stored.delete()
    directory_services.consent_record(
        person=locked.person,
        purpose=ConsentPurpose.DATA_PROCESSING,
        granted=True,
        text_version=CONSENT_TEXT_VERSION,
        source=CONSENT_SOURCE,
        actor=actor,
    )
    locked.answers = clean
    locked.status = ApplicationStatus.SUBMITTED
    locked.submitted_at = now
    locked.save(update_fields=["answers", "status", "submitted_at", "updated_at"])
    log_action(
        "kaynak.calls.application.submitted",
        actor=actor,
        target=locked,
        data={"call": call.pk, "people": len(rows)},
    )
    _mail_on_commit(locked, "receipt")
    return locked


@transaction.atomic
def withdraw(
    *, application: Application, actor: Any, now: dt.datetime | None = None
) -> Application:
    """Withdraw a submitted application before a decision (it frees the organisation's place;
    the applicant is told by e-mail)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.SUBMITTED:
        raise CallError(
            _("Only a submitted application without a decision can be withdrawn."),
            code="not_withdrawable",
        )
    locked.status = ApplicationStatus.WITHDRAWN
    locked.withdrawn_at = now or timezone.now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    log_action("kaynak.calls.application.withdrawn", actor=actor, target=locked)
    _mail_on_commit(locked, "withdrawn")
    return locked


@transaction.atomic
def discard_draft(*, application: Application, actor: Any) -> None:
    """Delete a draft that will not be submitted (its files too): the organisation may start
    again."""
    locked = _lock_draft(application)
    for stored in locked.files.all():
        _delete_stored_on_commit(stored)
    log_action(
        "kaynak.calls.application.discarded",
        actor=actor,
        target=locked.call,
        data={"code": locked.code, "organisation": locked.organisation_id},
    )
    locked.delete()

"""Calls for applications and how they are judged.

A ``Call`` belongs to a programme (the civil-society school, the festival, coaching …) and asks
its ``Question``s; an organisation answers through a person in an ``Application`` (a draft saved
as they type, then submitted before the deadline, which the server enforces). Staff judge the
submitted applications against the call's rubric (``Criterion``): each ``ReviewAssignment``
gives one reviewer one application, the reviewer's ``Review`` holds a ``Score`` per criterion.
A reviewer's declared ``ConflictOfInterest`` with an organisation keeps them off its
applications. Decisions (accepted, waitlisted, rejected) are told by e-mail from the call's
``DecisionTemplate``s.

The apps above listen to ``kaynak.calls.signals.application_decided`` (the school enrols an
accepted cohort application; the festival schedules an accepted workshop).

Times are stored in UTC and shown in Europe/Istanbul.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.core.i18n import in_language
from kaynak.core.models import ApplicantType, Province, TimeStampedModel
from kaynak.core.storage import PrivateFileStorage
from kaynak.directory.models import Organisation, Person
from kaynak.programmes.models import Programme

# Codes people read aloud or type from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

SCORE_MIN = 1
SCORE_MAX = 5


def application_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class CallFileStorage(PrivateFileStorage):
    """Files applicants upload, under ``CALLS_FILES_DIR`` (default ``<VAR_DIR>/call-files``);
    only the applicant and staff may download them (a view streams them)."""

    setting_name = "CALLS_FILES_DIR"
    default_dir = "call-files"


call_files = CallFileStorage()


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Call(TimeStampedModel):
    """An open call with a form and a deadline (glossary: "Başvuru çağrısı")."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="calls", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("deadline"))
    # Eligibility: empty means any.
    applicant_types = models.ManyToManyField(
        ApplicantType,
        blank=True,
        related_name="+",
        verbose_name=_("who may apply"),
        help_text=_("Leave empty to accept every kind of organisation."),
    )
    provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="+",
        verbose_name=_("provinces"),
        help_text=_("Leave empty to accept organisations from every province."),
    )
    one_per_organisation = models.BooleanField(_("one application per organisation"), default=True)
    # The people an application names (the school's representatives, a workshop's
    # facilitators); none when people_max is 0.
    people_label = models.CharField(
        _("people asked for"), max_length=120, blank=True, help_text=_("E.g. Representatives")
    )
    people_label_en = models.CharField(_("people asked for (English)"), max_length=120, blank=True)
    people_min = models.PositiveSmallIntegerField(_("at least"), default=0)
    people_max = models.PositiveSmallIntegerField(_("at most"), default=0)
    # Review.
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Reviewers do not see the applicant organisation's or people's names."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2
    )
    spread_threshold = models.DecimalField(
        _("flag when reviewers differ by more than"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("1.5"),
        help_text=_("Points on the 1–5 scale between the highest and lowest total score."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-closes_at", "pk"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="calls_call_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(people_max__gte=models.F("people_min")),
                name="calls_call_people_max_gte_min",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def people_heading(self) -> str:
        return in_language(self.people_label, self.people_label_en)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.closes_at


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("One choice")
    MULTI_CHOICE = "multi_choice", _("Several choices")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    FILE = "file", _("File")
    PROVINCE = "province", _("Province")
    THEME = "theme", _("Theme")


class Question(models.Model):
    """One question of a call's form. ``key`` is stable (answers are stored under it)."""

    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_text = models.TextField(_("help"), blank=True)
    help_text_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Text: the most words; number: the range.
    max_words = models.PositiveIntegerField(_("at most words"), null=True, blank=True)
    min_value = models.DecimalField(
        _("smallest"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Choices: [{"key": "a", "tr": "…", "en": "…"}, …]
    options = models.JSONField(_("options"), default=list, blank=True)
    # File: the largest size in MB (the accepted types are fixed: see kaynak.calls.answers).
    max_file_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=10)
    # Conditional: shown (and asked) only when the answer to show_if is one of show_if_values.
    show_if = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependants",
        verbose_name=_("only when the answer to"),
    )
    show_if_values = models.JSONField(_("is one of"), default=list, blank=True)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="calls_question_key_unique"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.label, self.label_en)

    @property
    def help(self) -> str:
        return in_language(self.help_text, self.help_text_en)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("application call", "Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waiting list")
    REJECTED = "rejected", _("Not selected")


# Statuses that hold the organisation's one application; a withdrawn one frees it.
ACTIVE_STATUSES = [
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
]
DECISIONS = [ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED]


class Application(TimeStampedModel):
    """One organisation's answer to a call (glossary: "Başvuru"), made by a person with an
    account. Answers are stored by question key; files in ``ApplicationFile``."""

    call = models.ForeignKey(
        Call,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    code = models.CharField(
        pgettext_lazy("application call", "reference"),
        max_length=12,
        unique=True,
        default=application_code,
        editable=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("account"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    notified_at = models.DateTimeField(_("told by e-mail at"), null=True, blank=True)

    class Meta:
        ordering = ["call", "-submitted_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "status"], name="calls_application_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="calls_application_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_decided(self) -> bool:
        return self.status in DECISIONS

    @property
    def public_status(self) -> str:
        """The status the applicant may see: a decision only once they were told it by e-mail
        (until then it reads "submitted")."""
        if self.status in DECISIONS and self.notified_at is None:
            return ApplicationStatus.SUBMITTED.value
        return str(self.status)

    @property
    def public_status_label(self) -> str:
        return str(ApplicationStatus(self.public_status).label)


class ApplicationPerson(models.Model):
    """A person the application names (a representative, a facilitator), resolved to the
    directory on submission."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="people", verbose_name=_("application")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=120, blank=True)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person in the directory"),
    )

    class Meta:
        ordering = ["application", "position", "pk"]
        verbose_name = _("person named")
        verbose_name_plural = _("people named")

    def __str__(self) -> str:
        return self.full_name


def application_file_path(instance: ApplicationFile, filename: str) -> str:
    # The stored name is random: the original name is kept in a column, never trusted as a path.
    now = timezone.now()
    return f"{now:%Y/%m}/{secrets.token_hex(16)}"


class ApplicationFile(models.Model):
    """The file answering a file question (one per question; a new upload replaces it)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="files", verbose_name=_("application")
    )
    question_key = models.SlugField(_("question"), max_length=60)
    file = models.FileField(
        _("file"), storage=call_files, upload_to=application_file_path, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question_key"], name="calls_file_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class Criterion(models.Model):
    """One criterion of a call's rubric, scored 1–5 and weighted."""

    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    name_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    description = models.TextField(_("what to look for"), blank=True)
    description_en = models.TextField(_("what to look for (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="calls_criterion_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, self.name_en)


class ConflictOfInterest(models.Model):
    """A reviewer's declared conflict with an organisation in a call: they are never assigned
    its applications, and an assignment they had is withdrawn."""

    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="conflicts",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="review_conflicts",
        verbose_name=_("reviewer"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    note = models.CharField(_("why"), max_length=500, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "reviewer", "organisation"], name="calls_conflict_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} ↔ {self.organisation}"


class ReviewAssignment(models.Model):
    """One reviewer asked to review one application."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("application"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        ordering = ["application", "assigned_at", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="calls_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.reviewer}"


class Review(models.Model):
    """A reviewer's scores on an application (glossary: "Değerlendirme"): saved as a draft,
    counted once submitted. ``total`` is the weighted mean of the scores (1–5)."""

    assignment = models.OneToOneField(
        ReviewAssignment,
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("assignment"),
    )
    comment = models.TextField(_("comments"), blank=True)
    total = models.DecimalField(
        _("total"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(total__isnull=False),
                name="calls_review_submitted_has_total",
            ),
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="calls_score_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX),
                name="calls_score_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class DecisionTemplate(models.Model):
    """The e-mail that tells an applicant a decision, per call, decision and language; staff
    edit it. Variables: {organisation}, {applicant}, {call}, {code}, {reason}, {url}."""

    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="decision_templates",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    decision = models.CharField(
        _("decision"),
        max_length=12,
        choices=[(s.value, s.label) for s in DECISIONS],
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("decision e-mail")
        verbose_name_plural = _("decision e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "decision", "language"], name="calls_template_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

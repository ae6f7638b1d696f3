"""Trainings, webinars, talks and workshops: what the center offers (``Programme`` →
``Activity`` → ``Session``), who registered (``Registration``), who came (``Attendance``), who
completed (``Certificate``) and what they thought (``FeedbackResponse``).

Seats are counted in the database under a row lock on the activity (see
``services.register``); attendance writes the ledger in the same transaction
(``services.mark_attendance``). Times are stored in UTC and shown in Europe/Istanbul.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import BilingualLabelModel, Province, Theme, TimeStampedModel
from kaynak.directory.models import Organisation, Person

# Codes people read aloud or type from paper: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def registration_code() -> str:
    return new_code(8)


def certificate_code() -> str:
    return new_code(10)


class Programme(TimeStampedModel):
    """A line of work the center runs year after year ("Örgütsel Kapasite Eğitimleri",
    "Aylık Webinarlar") or a series ("Pandemi Söyleşileri"): its page lists every activity
    (episode) in it."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_series = models.BooleanField(
        _("series"),
        default=False,
        help_text=_("Episodes of one series (talks, webinars): listed as episodes on its page."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "tr").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Topic(BilingualLabelModel):
    """A training topic (strategic planning, fundraising, digital security …)."""

    slug = models.SlugField(_("address"), max_length=60, unique=True)

    class Meta:
        ordering = ["name_tr"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Trainer(TimeStampedModel):
    """Someone who trains or speaks: staff, a volunteer expert, an academic."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title or affiliation"), max_length=200, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_roles",
        verbose_name=_("person in the directory"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    """Also the ledger's service kind of the deliveries attendance writes (see
    ``Activity.service_kind``)."""

    TRAINING = "training", _("Training")
    WEBINAR = "webinar", _("Webinar")
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    SCHOOL_MODULE = "school", _("School module")
    FESTIVAL_WORKSHOP = "festival", _("Festival workshop")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(TimeStampedModel):
    """One training, webinar, talk or workshop, with one or more sessions."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="activities", verbose_name=_("programme")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ActivityKind.choices, default=ActivityKind.TRAINING
    )
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    topic = models.ForeignKey(
        Topic,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("topic"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="tr"
    )
    description = models.TextField(_("description"), blank=True)
    target_audience = models.TextField(_("who it is for"), blank=True)
    trainers = models.ManyToManyField(
        Trainer, blank=True, related_name="activities", verbose_name=_("trainers")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    # Registration
    registration_required = models.BooleanField(
        _("registration required"),
        default=True,
        help_text=_("Off for open webinars and talks anyone may join."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    seats_per_organisation = models.PositiveSmallIntegerField(
        _("seats per organisation"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    waitlist = models.BooleanField(_("waiting list when full"), default=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    # [{"key": "board-member", "text": "…", "text_en": "…", "required": true,
    #   "kind": "yes-no" | "text"}]
    questions = models.JSONField(_("eligibility questions"), default=list, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed seat"),
        default=48,
        help_text=_("A seat offered to the next on the waiting list lapses after this long."),
    )
    # Completion
    completion_percent = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"), default=80
    )
    certificates = models.BooleanField(_("certificates for those who complete"), default=True)
    feedback = models.BooleanField(_("feedback survey after the last session"), default=True)
    feedback_anonymous = models.BooleanField(_("anonymous feedback"), default=False)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_percent__gte=0, completion_percent__lte=100),
                name="programmes_completion_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def service_kind(self) -> str:
        """The ledger's service kind for deliveries of this activity."""
        return str(self.kind) if self.kind != ActivityKind.WORKSHOP else "training"

    @property
    def is_online(self) -> bool:
        return all(session.online for session in self.sessions.all())


class Session(models.Model):
    """A dated occurrence of an activity: in a venue in a province, or online."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    online = models.BooleanField(_("online"), default=False)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    address = models.TextField(_("address"), blank=True)
    meeting_url = models.URLField(
        _("meeting link"), blank=True, help_text=_("Shown only to those registered.")
    )
    stream_url = models.URLField(
        _("live stream link"),
        blank=True,
        help_text=_("Shown to everyone when the activity needs no registration."),
    )
    recording_url = models.URLField(_("recording"), blank=True)
    capacity = models.PositiveIntegerField(
        _("seats in this session"),
        null=True,
        blank=True,
        help_text=_("When the room is smaller than the activity's seats; the smallest decides."),
    )
    reminded_2d_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_2h_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="programmes_session_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="programmes_session_starts")]

    def __str__(self) -> str:
        return f"{self.activity} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Seat offered")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Offer lapsed")


# The statuses that hold a seat, and those that are still in the game.
SEAT_HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)
ACTIVE = (*SEAT_HOLDING, RegistrationStatus.WAITLISTED)


class Registration(TimeStampedModel):
    """A person's registration for an activity (all its sessions), for an organisation."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("organisation"),
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    code = models.CharField(
        _("code"), max_length=12, unique=True, default=registration_code, editable=False
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="tr"
    )
    email = models.EmailField(_("e-mail"), help_text=_("Where this registration's mail goes."))
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    staff_note = models.CharField(
        _("reason (staff)"),
        max_length=250,
        blank=True,
        help_text=_("Why staff added, moved or cancelled this registration."),
    )
    email_bounced_at = models.DateTimeField(_("e-mail bounced"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per person and activity; cancelled ones may repeat.
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="programmes_one_live_registration",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "status", "created_at"], name="programmes_reg_queue")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.activity}"


class AttendanceMethod(models.TextChoices):
    ROLL_CALL = "roll-call", _("Roll call")
    QR = "qr", _("QR code")
    IMPORT = "import", _("Attendance sheet")


class Attendance(models.Model):
    """Someone was there: one row per registration and session."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session")
    )
    method = models.CharField(_("how"), max_length=10, choices=AttendanceMethod.choices)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="programmes_attended_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"


class Certificate(models.Model):
    """A certificate of completion with a public verification page (by ``code``)."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("registration"),
    )
    code = models.CharField(
        _("verification code"), max_length=12, unique=True, default=certificate_code
    )
    # As printed: a name correction re-issues (a new certificate; the old one is revoked).
    holder_name = models.CharField(_("name on the certificate"), max_length=200)
    activity_title = models.CharField(_("activity"), max_length=250)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=250, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(revoked_at__isnull=True),
                name="programmes_one_valid_certificate",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class FeedbackResponse(models.Model):
    """Answers to the survey after the last session. Anonymous surveys keep no link to the
    registration (``FeedbackInvitation`` records only that it was answered)."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="feedback_responses",
        verbose_name=_("activity"),
    )
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registration"),
    )
    content = models.PositiveSmallIntegerField(_("content"))
    trainer = models.PositiveSmallIntegerField(_("trainers"))
    organisation = models.PositiveSmallIntegerField(_("organising"))
    knowledge_before = models.PositiveSmallIntegerField(_("knowledge before"))
    knowledge_after = models.PositiveSmallIntegerField(_("knowledge after"))
    comment = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(content__range=(1, 5))
                & Q(trainer__range=(1, 5))
                & Q(organisation__range=(1, 5))
                & Q(knowledge_before__range=(1, 5))
                & Q(knowledge_after__range=(1, 5)),
                name="programmes_ratings_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.submitted_at:%Y-%m-%d}"


class FeedbackInvitation(models.Model):
    """The survey was sent to (and perhaps answered by) a registration."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback_invitation"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.registration} · {self.sent_at:%Y-%m-%d}"


class CertificateSignature(models.Model):
    """A signature printed at the foot of every certificate (director, trainer, partner), in
    ``order``; edited in the admin."""

    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=160, blank=True)
    image = models.ImageField(
        _("signature image"),
        upload_to="certificates/signatures/",
        blank=True,
        help_text=_("A scan of the signature, ideally a PNG with a transparent background."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("printed on certificates"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("certificate signature")
        verbose_name_plural = _("certificate signatures")

    def __str__(self) -> str:
        return self.name


class AttendanceSheetStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")


class AttendanceSheet(models.Model):
    """An attendance sheet (XLSX/CSV) uploaded for a session, kept as received; ``report``
    says what became of each of its rows when it was applied (see
    ``kaynak.programmes.attendance``)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="attendance_sheets",
        verbose_name=_("session"),
    )
    original_file = models.FileField(_("file"), upload_to="programmes/attendance/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    column_mapping = models.JSONField(_("columns"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AttendanceSheetStatus.choices,
        default=AttendanceSheetStatus.PREVIEWED,
    )
    report = models.JSONField(_("row-by-row report"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_marked = models.PositiveIntegerField(_("registrants marked present"), default=0)
    rows_walk_in = models.PositiveIntegerField(_("walk-ins added"), default=0)
    rows_left_out = models.PositiveIntegerField(_("rows left out"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("applied by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance sheet")
        verbose_name_plural = _("attendance sheets")

    def __str__(self) -> str:
        return self.original_name


def calendar_key() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's own calendar address (iCal): their registrations' sessions. The key is the
    secret; making a new one (``registering.calendar_feed_renew``) stops the old address."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    key = models.CharField(_("key"), max_length=64, unique=True, default=calendar_key)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("personal calendar")
        verbose_name_plural = _("personal calendars")

    def __str__(self) -> str:
        return f"{self.person} · {self.created_at:%Y-%m-%d}"

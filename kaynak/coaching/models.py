"""Organisational coaching with capacity assessment, and NGO–academia partnerships.

**Assessment.** An ``Instrument`` (versioned: an old assessment keeps the version it was made
with) has ``Dimension``s, each with ``Indicator`` questions scored 1–4, every level described.
An ``Assessment`` of an organisation is made by the organisation itself or by its coach; it is
a draft until completed, and only completed ones count. Its ``results`` (dimension key → mean
score) are written when it is completed.

**Coaching.** A ``CoachingRound`` may be selected by a call (accepting an application opens an
``Engagement``). An engagement has a coach, goals, an action plan (``Action`` per dimension,
with an owner, due date and status), ``CoachingSession``s (each a ledger delivery of kind
"coaching" with its hours) and a baseline and a final assessment.

**Academia.** An ``AcademicProfile`` makes a directory person an academic (institution,
department, expertise, provinces, languages). A ``PartnershipRound`` may be selected by a call
(accepting an application files a ``PartnershipRequest``: the organisation's stated needs).
Staff match requests with academics and confirm a ``Partnership``, whose
``PartnershipActivity`` rows are ledger deliveries (kind "academia") and whose
``PartnershipOutput``s (publications) also appear in the library.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.calls.models import Application, Call
from kaynak.core.models import Province, Theme, TimeStampedModel
from kaynak.directory.models import Organisation, Person
from kaynak.library.models import Resource
from kaynak.programmes.models import Programme, new_code

LOWEST_SCORE = 1
HIGHEST_SCORE = 4


def engagement_code() -> str:
    return new_code(8)


# Assessment instrument --------------------------------------------------------------------------


class Instrument(TimeStampedModel):
    """One version of a capacity-assessment instrument. A version with assessments is frozen;
    changes make the next version (same ``slug``, ``version`` + 1)."""

    slug = models.SlugField(_("address"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # The version new assessments use; one per slug.
    is_current = models.BooleanField(_("current version"), default=True)

    class Meta:
        ordering = ["slug", "-version"]
        verbose_name = _("assessment instrument")
        verbose_name_plural = _("assessment instruments")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="coaching_instrument_version"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(is_current=True), name="coaching_instrument_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Dimension(models.Model):
    """A dimension of capacity (governance, financial management …); its score is the mean of
    its questions' scores."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="dimensions",
        verbose_name=_("instrument"),
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["instrument", "position", "id"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="coaching_dimension_key"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """One question of a dimension, scored 1–4; ``levels`` describes each level:
    ``[{"tr": …, "en": …}, …]`` for 1, 2, 3 and 4."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("dimension")
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("question"))
    text_en = models.TextField(_("question (English)"), blank=True)
    levels = models.JSONField(_("level descriptions"), default=list)

    class Meta:
        ordering = ["dimension", "position", "id"]
        verbose_name = pgettext_lazy("assessment question", "question")
        verbose_name_plural = pgettext_lazy("assessment question", "questions")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="coaching_indicator_key"),
        ]

    def __str__(self) -> str:
        return self.text


class AssessmentKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    COACH = "coach", _("Coach's assessment")


class AssessmentStage(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    INTERIM = "interim", _("Interim")
    FINAL = "final", _("Final")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", pgettext_lazy("coaching", "Completed")


class Assessment(TimeStampedModel):
    """An organisation measured with one instrument version, by itself or by its coach."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="capacity_assessments",
        verbose_name=_("organisation"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrument"),
    )
    engagement = models.ForeignKey(
        "Engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        verbose_name=_("coaching engagement"),
    )
    kind = models.CharField(
        _("made by"), max_length=10, choices=AssessmentKind.choices, default=AssessmentKind.SELF
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=AssessmentStage.choices, default=AssessmentStage.BASELINE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # The account that started it (an NGO member or the coach).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("completed by"),
    )
    note = models.TextField(_("note"), blank=True)
    # dimension key → mean score as a string ("2.67"), written on completion.
    results = models.JSONField(_("results"), default=dict, blank=True, editable=False)
    overall = models.DecimalField(
        _("overall score"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-completed_at", "-created_at", "-id"]
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False),
                name="coaching_assessment_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_kind_display()} · {self.get_stage_display()}"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class Answer(models.Model):
    """One question's score (1–4; empty while a draft) and the evidence behind it."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LOWEST_SCORE), MaxValueValidator(HIGHEST_SCORE)],
    )
    evidence = models.TextField(pgettext_lazy("coaching", "evidence"), blank=True)

    class Meta:
        ordering = ["assessment", "indicator__dimension__position", "indicator__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="coaching_answer_once"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=4),
                name="coaching_answer_score_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.key}: {self.score or '–'}"


# Coaching ---------------------------------------------------------------------------------------


class CoachingRound(TimeStampedModel):
    """A round of the coaching programme ("Örgütsel Mentorluk 2027"), maybe selected by a call:
    accepting one of the call's applications opens an engagement for its organisation."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="coaching_rounds",
        verbose_name=_("programme"),
    )
    call = models.OneToOneField(
        Call,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coaching_round",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("instrument"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("coaching round")
        verbose_name_plural = _("coaching rounds")

    def __str__(self) -> str:
        return self.name


class EngagementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", pgettext_lazy("coaching", "Active")
    COMPLETED = "completed", pgettext_lazy("coaching", "Completed")
    ENDED_EARLY = "ended", _("Ended early")


class Engagement(TimeStampedModel):
    """One organisation's coaching: its coach, goals, plan, sessions and assessments."""

    code = models.CharField(
        _("reference"), max_length=12, unique=True, default=engagement_code, editable=False
    )
    round = models.ForeignKey(
        CoachingRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("coaching round"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="coaching_engagements",
        verbose_name=_("organisation"),
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coaching_engagement",
        verbose_name=_("application"),
    )
    # Center staff or an external coach (an account with the coach role).
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coaching_engagements",
        verbose_name=_("coach"),
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("instrument"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    goals = models.TextField(_("goals"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EngagementStatus.choices,
        default=EngagementStatus.PLANNED,
    )
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("coaching engagement")
        verbose_name_plural = _("coaching engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="coaching_engagement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.code}"


class ActionStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "doing", _("In progress")
    DONE = "done", pgettext_lazy("coaching", "Done")
    DROPPED = "dropped", _("Dropped")


class Action(TimeStampedModel):
    """One action of an engagement's plan."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="actions", verbose_name=_("engagement")
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("dimension"),
    )
    title = models.CharField(pgettext_lazy("coaching", "action"), max_length=300)
    # Who is responsible: a name or a role ("the treasurer").
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["engagement", "dimension__position", "position", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.CheckConstraint(condition=~Q(owner=""), name="coaching_action_has_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class SessionMode(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")


class CoachingSession(TimeStampedModel):
    """One coaching session: a ledger delivery of kind "coaching" for the organisation (and the
    people who took part), its hours the quantity."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("engagement")
    )
    starts_at = models.DateTimeField(_("date and time"))
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    mode = models.CharField(
        _("mode"), max_length=10, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    participants = models.ManyToManyField(
        Person, blank=True, related_name="coaching_sessions", verbose_name=_("participants")
    )
    # Seen by the coach and the center's staff only.
    coach_notes = models.TextField(_("coach's notes"), blank=True)
    # Shared with the organisation.
    shared_notes = models.TextField(_("notes shared with the organisation"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)

    class Meta:
        ordering = ["engagement", "starts_at", "id"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self) -> str:
        return f"{self.engagement} · {self.starts_at:%Y-%m-%d}"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


# Academia ---------------------------------------------------------------------------------------


class AcademicProfile(TimeStampedModel):
    """What makes a directory person an academic the center can pair with organisations."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="academic", verbose_name=_("person")
    )
    title = models.CharField(
        _("academic title"), max_length=40, blank=True, help_text=_("e.g. Dr., Doç. Dr., Prof. Dr.")
    )
    institution = models.CharField(_("institution"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="academics", verbose_name=_("expertise themes")
    )
    expertise = models.TextField(
        _("expertise"), blank=True, help_text=_("Research areas and methods, in a few lines.")
    )
    provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="academics",
        verbose_name=_("provinces"),
        help_text=_("Where they can work with an organisation."),
    )
    # ISO 639-1 codes, e.g. ["tr", "en", "ku"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    is_available = models.BooleanField(_("available for new partnerships"), default=True)

    class Meta:
        ordering = ["person__full_name"]
        verbose_name = _("academic")
        verbose_name_plural = _("academics")

    def __str__(self) -> str:
        return f"{self.title} {self.person.full_name}".strip()


class PartnershipRound(TimeStampedModel):
    """A round of the NGO–academia programme, maybe selected by a call: accepting one of its
    applications files the organisation's request (its needs) for matching."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="partnership_rounds",
        verbose_name=_("programme"),
    )
    call = models.OneToOneField(
        Call,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_round",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # Keys of the call's questions whose answers are the stated needs and the themes.
    needs_question = models.CharField(_("question with the needs"), max_length=60, blank=True)
    themes_question = models.CharField(_("question with the themes"), max_length=60, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("partnership round")
        verbose_name_plural = _("partnership rounds")

    def __str__(self) -> str:
        return self.name


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a match")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", pgettext_lazy("coaching", "Closed")


class PartnershipRequest(TimeStampedModel):
    """An organisation's wish to work with an academic: the themes, the province and its needs
    in its own words. Matching proposes academics for open requests."""

    round = models.ForeignKey(
        PartnershipRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("partnership round"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnership_requests",
        verbose_name=_("organisation"),
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_request",
        verbose_name=_("application"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="partnership_requests", verbose_name=_("themes")
    )
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_requests",
        verbose_name=_("province"),
    )
    needs = models.TextField(_("needs"), help_text=_("What the organisation wants to work on."))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("partnership request")
        verbose_name_plural = _("partnership requests")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("coaching", "Active")
    COMPLETED = "completed", pgettext_lazy("coaching", "Completed")
    ENDED_EARLY = "ended", _("Ended early")


class Partnership(TimeStampedModel):
    """An organisation and an academic working together on a theme in a province."""

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=250)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    academic = models.ForeignKey(
        AcademicProfile,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("academic"),
    )
    request = models.OneToOneField(
        PartnershipRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership",
        verbose_name=_("partnership request"),
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("theme")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("province")
    )
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
    )
    # Both sides agreed that the partnership and its outputs are shown on the public pages.
    is_public = models.BooleanField(_("shown publicly"), default=False)
    # Why staff confirmed the pair (the matching's reasons, as shown then).
    match_reason = models.TextField(_("why this pair"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("NGO–academia partnership")
        verbose_name_plural = _("NGO–academia partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="coaching_partnership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PartnershipActivityKind(models.TextChoices):
    FIELDWORK = "fieldwork", _("Fieldwork")
    TRAINING = "training", _("Joint training")
    CONFERENCE = "conference", _("Conference")
    PUBLICATION = "publication", _("Publication")
    OTHER = "other", _("Other")


class PartnershipActivity(TimeStampedModel):
    """Something the partners did together: a ledger delivery (kind "academia") for the
    organisation, and for each person who took part."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("partnership"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=PartnershipActivityKind.choices)
    title = models.CharField(_("title"), max_length=250)
    date = models.DateField(_("date"))
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    participants = models.ManyToManyField(
        Person, blank=True, related_name="partnership_activities", verbose_name=_("participants")
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"),
        default=0,
        help_text=_("Everyone who took part, including those not named."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["partnership", "date", "id"]
        verbose_name = _("partnership activity")
        verbose_name_plural = _("partnership activities")

    def __str__(self) -> str:
        return self.title


class OutputKind(models.TextChoices):
    BOOK = "book", _("Book")
    REPORT = "report", _("Report")
    ARTICLE = "article", _("Article")
    POLICY_BRIEF = "brief", _("Policy brief")
    OTHER = "other", _("Other")


class PartnershipOutput(TimeStampedModel):
    """A publication of a partnership (a file or a link); it also appears in the library as a
    publication (``resource``), published when the partnership is public."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("partnership")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=250)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"))
    summary = models.TextField(_("summary"), blank=True)
    resource = models.OneToOneField(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnership_output",
        verbose_name=_("library item"),
    )

    class Meta:
        ordering = ["partnership", "-published_on", "id"]
        verbose_name = _("partnership output")
        verbose_name_plural = _("partnership outputs")

    def __str__(self) -> str:
        return self.title

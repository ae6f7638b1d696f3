"""The civil-society school: a ``Cohort`` selected by a call takes a curriculum of modules
(``CohortModule``, each a multi-day activity of the trainings app, so registration, attendance,
certificates and feedback are the trainings' own); its ``Participant``s are the accepted
organisations' representatives; those who complete enough modules receive a ``Graduation``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.calls.models import Application, Call
from kaynak.core.models import TimeStampedModel
from kaynak.directory.models import Organisation, Person
from kaynak.programmes.models import Activity, Programme, new_code


def graduation_code() -> str:
    return new_code(10)


class CohortStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class Cohort(TimeStampedModel):
    """One year's class of the school ("2025–2026 Dönemi") and its completion rule."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    # The call that selects the cohort: accepting one of its applications enrols its people.
    call = models.OneToOneField(
        Call,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohort",
        verbose_name=pgettext_lazy("application call", "call"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    required_modules = models.PositiveSmallIntegerField(
        _("modules needed to graduate"),
        default=6,
        validators=[MinValueValidator(1)],
        help_text=_("A participant graduates after completing at least this many modules."),
    )
    people_per_organisation = models.PositiveSmallIntegerField(
        _("representatives per organisation"), default=2, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CohortStatus.choices, default=CohortStatus.PLANNED
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(required_modules__gte=1), name="school_cohort_requires_a_module"
            ),
            models.CheckConstraint(
                condition=Q(people_per_organisation__gte=1),
                name="school_cohort_has_representatives",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CohortModule(models.Model):
    """A module of the cohort's curriculum: a multi-day school activity (one session a day)."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="modules", verbose_name=_("cohort")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    activity = models.OneToOneField(
        Activity,
        on_delete=models.PROTECT,
        related_name="school_module",
        verbose_name=_("activity"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return f"{self.cohort} · {self.activity}"


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Taking part")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Participant(TimeStampedModel):
    """A representative of a selected organisation, registered in every module of the cohort."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="participants", verbose_name=_("cohort")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="school_participations",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="school_participants",
        verbose_name=_("organisation"),
    )
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="school_participants",
        verbose_name=_("application"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.ACTIVE,
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=250, blank=True)

    class Meta:
        ordering = ["enrolled_at", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person"], name="school_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.cohort}"


class Graduation(models.Model):
    """The graduation certificate, with what it says frozen at issue and a public check by
    ``code``."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.PROTECT,
        related_name="graduation",
        verbose_name=_("participant"),
    )
    code = models.CharField(
        _("verification code"), max_length=12, unique=True, default=graduation_code
    )
    holder_name = models.CharField(_("name on the certificate"), max_length=200)
    cohort_name = models.CharField(_("cohort"), max_length=200)
    modules_completed = models.PositiveSmallIntegerField(_("modules completed"))
    modules_total = models.PositiveSmallIntegerField(_("modules in the curriculum"))
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

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("graduation")
        verbose_name_plural = _("graduations")
        constraints = [
            models.CheckConstraint(
                condition=Q(modules_completed__lte=models.F("modules_total")),
                name="school_graduation_modules_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

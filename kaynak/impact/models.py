"""Indicators, their targets and manually reported values.

An indicator is computed from the ledger (a measure over the deliveries its filters select),
reported by hand (values entered with evidence and approved by an M&E officer), or read from an
outcome measure another app registers in ``kaynak.ledger.outcomes``. How a value is worked out
for a period: ``kaynak.impact.results``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import ApplicantType, Province, Region, Theme, TimeStampedModel
from kaynak.core.storage import PrivateFileStorage
from kaynak.directory.models import Gender
from kaynak.ledger.models import ServiceKind


class Level(models.TextChoices):
    """The logframe level."""

    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")


class Method(models.TextChoices):
    COMPUTED = "computed", _("Computed from the service ledger")
    MANUAL = "manual", _("Reported manually")
    OUTCOME = "outcome", _("Outcome measure from an app")


class Measure(models.TextChoices):
    """What a computed indicator counts in the deliveries its filters select."""

    ORGANISATIONS = "organisations", _("Distinct organisations")
    PEOPLE = "people", _("Distinct people")
    DELIVERIES = "deliveries", _("Deliveries")
    HOURS = "hours", _("Hours")


class Reached(models.TextChoices):
    """Whom a computed indicator counts by when they were first reached."""

    ANYONE = "", _("Everyone reached")
    FIRST_TIME = "first-time", _("Reached for the first time in the period")
    RETURNING = "returning", _("Reached before the period too")


class Indicator(TimeStampedModel):
    """One line of the results framework: what is measured, how, and against which targets."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.OUTPUT)
    method = models.CharField(
        _("method"), max_length=10, choices=Method.choices, default=Method.COMPUTED
    )
    unit = models.CharField(
        _("unit"),
        max_length=40,
        help_text=_("What the value counts: organisations, people, hours, %, score …"),
    )
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices, blank=True)
    kinds = models.ManyToManyField(
        ServiceKind, blank=True, related_name="+", verbose_name=_("services")
    )
    programme = models.CharField(
        _("programme"),
        max_length=120,
        blank=True,
        help_text=_("Only deliveries recorded under this programme name."),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    provinces = models.ManyToManyField(
        Province, blank=True, related_name="+", verbose_name=_("provinces")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions")
    )
    organisation_types = models.ManyToManyField(
        ApplicantType, blank=True, related_name="+", verbose_name=_("organisation types")
    )
    gender = models.CharField(
        _("gender of people"), max_length=10, choices=Gender.choices, blank=True
    )
    reached = models.CharField(
        _("first-time or returning"), max_length=12, choices=Reached.choices, blank=True
    )
    outcome_slug = models.CharField(_("outcome measure"), max_length=40, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    is_public = models.BooleanField(_("shown in the public summary"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="computed") | ~Q(measure=""),
                name="impact_computed_indicator_has_a_measure",
            ),
            models.CheckConstraint(
                condition=~Q(method="outcome") | ~Q(outcome_slug=""),
                name="impact_outcome_indicator_has_a_slug",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "tr").startswith("en") else self.name_tr


class Target(models.Model):
    """The value an indicator should reach over a period (a year, a quarter, a project phase).
    The targets of one indicator never overlap (checked by ``services.targets_set``)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    label = models.CharField(_("label"), max_length=60)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "start"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="impact_target_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


class ValueStatus(models.TextChoices):
    ENTERED = "entered", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ManualValue(models.Model):
    """A value reported by hand for a manual indicator over a period; it counts once an M&E
    officer approved it."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="manual_values",
        verbose_name=_("indicator"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ValueStatus.choices, default=ValueStatus.ENTERED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("manually reported value")
        verbose_name_plural = _("manually reported values")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="impact_value_period_ends_after_it_starts",
            ),
        ]
        indexes = [
            # The approved values of an indicator within a period (results.manual_value).
            models.Index(
                fields=["indicator", "period_start", "period_end"],
                condition=Q(status="approved"),
                name="impact_approved_values",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_start}–{self.period_end}: {self.value}"


@deconstructible
class ImpactFileStorage(PrivateFileStorage):
    """Evidence files, under ``IMPACT_FILES_DIR`` (default ``<VAR_DIR>/impact-files``); the
    evidence view streams them."""

    setting_name = "IMPACT_FILES_DIR"
    default_dir = "impact-files"


impact_files = ImpactFileStorage()


def evidence_path(instance: Any, filename: str) -> str:
    return f"evidence/{timezone.now():%Y/%m}/{filename}"


class Evidence(models.Model):
    """A file that backs a manually reported value (a list of publications, a scan …)."""

    value = models.ForeignKey(
        ManualValue, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("value")
    )
    file = models.FileField(storage=impact_files, upload_to=evidence_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class ReportLanguage(models.TextChoices):
    """The language a donor report is written and counted in."""

    TURKISH = "tr", _("Turkish")
    ENGLISH = "en", _("English")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINISHED = "finished", _("Finished")


class DonorReport(models.Model):
    """A donor report for a period and, optionally, one programme: narrative sections written
    by staff and, once finished, a frozen snapshot of every figure (``figures.Figures`` as
    JSON) that later corrections of the ledger never change. Written by ``reports``."""

    title = models.CharField(_("title"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    programme = models.CharField(
        _("programme"), max_length=120, blank=True, help_text=_("Empty: all programmes.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ReportLanguage.choices, default=ReportLanguage.TURKISH
    )
    summary = models.TextField(_("summary"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    challenges = models.TextField(_("challenges and lessons learned"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Figures.to_json() of the figures when the report was finished; empty while a draft.
    snapshot = models.TextField(_("snapshot"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("finished by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-end", "-pk"]
        verbose_name = _("donor report")
        verbose_name_plural = _("donor reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="impact_report_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=~Q(status="finished") | ~Q(snapshot=""),
                name="impact_finished_report_has_a_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status == ReportStatus.FINISHED

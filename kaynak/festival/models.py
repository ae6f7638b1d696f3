"""The festival ("Sivil Sesler"): a ``Festival`` over a few days with its ``Venue``s (stages and
rooms), its ``FestivalSession``s (workshops run by NGOs whose proposals were accepted through
the festival's call, talks, plenaries, performances) placed in the programme grid, the
organisations that take part (``Participation``: a stand, delegates), and the ``Badge`` each
person wears (its code is checked in at the door).

A scheduled workshop has a trainings ``Activity`` (kind "festival") with one session at its time
and venue: people register for it, and their attendance is marked, through the trainings app.
Times are stored in UTC and shown in Europe/Istanbul.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.calls.models import Application, Call
from kaynak.core.models import Province, Theme, TimeStampedModel
from kaynak.directory.models import Organisation, Person
from kaynak.programmes.models import Activity, Programme, new_code


def badge_code() -> str:
    return new_code(8)


class Festival(TimeStampedModel):
    """One edition of the festival ("Sivil Sesler 2026"), on the days ``starts_on``–``ends_on``."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="festivals", verbose_name=_("programme")
    )
    call = models.ForeignKey(
        Call,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="festivals",
        verbose_name=_("call for workshops"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    city = models.CharField(_("city or district"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=250, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="festival_ends_on_or_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class Venue(models.Model):
    """A stage or room of the festival ("Ana Sahne", "Salon A"): a column of the grid."""

    festival = models.ForeignKey(
        Festival, on_delete=models.CASCADE, related_name="venues", verbose_name=_("festival")
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["festival", "position", "pk"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["festival", "name"], name="festival_venue_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TALK = "talk", _("Talk")
    PLENARY = "plenary", _("Plenary")
    PERFORMANCE = "performance", _("Performance")


class SessionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting to be scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


# The statuses that take a venue and the facilitators' time.
IN_PROGRAMME = (SessionStatus.SCHEDULED, SessionStatus.HELD)


class FestivalSession(TimeStampedModel):
    """A workshop, talk, plenary or performance of the festival: proposed (no time yet) until
    staff place it in the grid."""

    festival = models.ForeignKey(
        Festival, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("festival")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=SessionKind.choices, default=SessionKind.WORKSHOP
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="tr"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PROPOSED
    )
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("venue"),
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="festival_session",
        verbose_name=_("accepted proposal"),
    )
    host = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="festival_sessions",
        verbose_name=_("host organisation"),
    )
    facilitators = models.ManyToManyField(
        Person, blank=True, related_name="festival_sessions", verbose_name=_("facilitators")
    )
    activity = models.OneToOneField(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="festival_session",
        verbose_name=_("registration (trainings)"),
    )
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)

    class Meta:
        ordering = ["festival", "starts_at", "pk"]
        verbose_name = _("festival session")
        verbose_name_plural = _("festival sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="festival_session_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "held"])
                | Q(venue__isnull=False, starts_at__isnull=False, ends_at__isnull=False),
                name="festival_scheduled_has_venue_and_times",
            ),
        ]
        indexes = [
            # The grid and the double-booking checks: a festival's sessions in the programme by
            # time.
            models.Index(fields=["festival", "status", "starts_at"], name="festival_grid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_scheduled(self) -> bool:
        return self.status in IN_PROGRAMME


class Participation(models.Model):
    """An organisation taking part in the festival, with its stand and delegates."""

    festival = models.ForeignKey(
        Festival,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("festival"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="festival_participations",
        verbose_name=_("organisation"),
    )
    stand = models.CharField(
        _("stand"), max_length=120, blank=True, help_text=_("Empty: no stand.")
    )
    delegates = models.ManyToManyField(
        Person, blank=True, related_name="festival_delegations", verbose_name=_("delegates")
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["festival", "registered_at", "pk"]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["festival", "organisation"], name="festival_participation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.festival}"


class BadgeRole(models.TextChoices):
    DELEGATE = "delegate", _("Delegate")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")
    VOLUNTEER = "volunteer", _("Volunteer")
    PRESS = "press", _("Press")


class Badge(models.Model):
    """The badge a person wears at the festival; its code (in a QR) is checked in at the door.
    The first check-in writes the person's festival delivery to the ledger."""

    festival = models.ForeignKey(
        Festival, on_delete=models.CASCADE, related_name="badges", verbose_name=_("festival")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="festival_badges", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=BadgeRole.choices, default=BadgeRole.PARTICIPANT
    )
    code = models.CharField(
        _("code"), max_length=12, unique=True, default=badge_code, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["festival", "pk"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        constraints = [
            models.UniqueConstraint(fields=["festival", "person"], name="festival_one_badge"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.code}"

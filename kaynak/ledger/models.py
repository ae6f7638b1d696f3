"""The ledger: one row per service delivered to one organisation or person.

Every service app writes here through ``kaynak.ledger.services.record_delivery`` and
``withdraw_delivery`` only; reports read here and nowhere else.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import BilingualLabelModel, Province, Theme
from kaynak.directory.models import Organisation, Person


class ServiceKind(BilingualLabelModel):
    """A kind of service (training, support, coaching …). Rows, not choices: a center may add
    its own kinds; the built-in slugs are stable."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("service kind")
        verbose_name_plural = _("service kinds")


class Delivery(models.Model):
    """One service to one subject: a person (possibly on behalf of an organisation) or an
    organisation. Withdrawn, never deleted, so a figure once reported can be explained."""

    kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("person"),
    )
    date = models.DateField(_("date"))
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    activity = models.CharField(_("activity"), max_length=250, blank=True)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    quantity = models.DecimalField(
        _("hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("source type")
    )
    source_id = models.CharField(_("source id"), max_length=64)
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="ledger_delivery_has_a_subject",
            ),
            # Idempotence: one row per source record × subject. The subject is the person
            # when there is one, otherwise the organisation.
            models.UniqueConstraint(
                fields=["source_type", "source_id", "person"],
                condition=Q(person__isnull=False),
                name="ledger_one_delivery_per_source_and_person",
            ),
            models.UniqueConstraint(
                fields=["source_type", "source_id", "organisation"],
                condition=Q(person__isnull=True),
                name="ledger_one_delivery_per_source_and_organisation",
            ),
        ]
        indexes = [
            # Reach by period: WHERE withdrawn_at IS NULL AND date BETWEEN … GROUP BY …
            models.Index(fields=["date", "kind"], name="ledger_date_kind"),
            models.Index(fields=["organisation", "date"], name="ledger_org_date"),
            models.Index(fields=["person", "date"], name="ledger_person_date"),
            models.Index(fields=["province", "date"], name="ledger_province_date"),
            # The reach queries (kaynak.ledger.queries) count only deliveries not withdrawn;
            # these partial indexes hold every column those queries read, so the database
            # answers from the index alone. Totals and breakdowns by service, province and
            # region of a period: WHERE withdrawn_at IS NULL AND date BETWEEN … GROUP BY …
            models.Index(
                fields=["date", "kind", "province", "organisation", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="ledger_reach_period",
            ),
            # An organisation's first delivery (first reached, "new this period") and the
            # kinds it was served by (two or more services).
            models.Index(
                fields=["organisation", "date", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="ledger_reach_organisation",
            ),
            # A person's first delivery.
            models.Index(
                fields=["person", "date"],
                condition=Q(withdrawn_at__isnull=True),
                name="ledger_reach_person",
            ),
            # The programme names recorded (the dashboard's and donor report's choice of
            # programme), and a programme's deliveries: 1.3 s → 55 ms for the names on SQLite
            # at a million deliveries.
            models.Index(
                fields=["programme", "date"],
                condition=Q(withdrawn_at__isnull=True),
                name="ledger_reach_programme",
            ),
        ]

    def __str__(self) -> str:
        subject = self.person or self.organisation
        return f"{self.kind} · {subject} · {self.date}"


class RecordedService(models.Model):
    """A service delivered outside Kaynak's own apps — before Kaynak was installed, at a
    partner's event, on paper — entered straight into the ledger so that it counts in reach.
    It is the ``source`` of its deliveries, one per participant, as an attendance list is for a
    training. The demo data set's deliveries point here too: they stand for past work that no
    service app recorded."""

    kind = models.ForeignKey(
        ServiceKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=250)
    programme = models.CharField(_("programme"), max_length=120, blank=True)
    date = models.DateField(_("date"))
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("Where it took place; empty for online services."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("service recorded by hand")
        verbose_name_plural = _("services recorded by hand")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"


# The reach summary: the impact figures (distinct organisations by service kind × province ×
# theme × quarter, and per-quarter totals) read from these tables instead of counting a million
# deliveries. Database triggers installed by migration (see kaynak.ledger.summary) keep them in
# step with every write to ``Delivery`` and its themes — services, merges, unmerges, bulk loads,
# the admin — in the same transaction, so they are never stale. Plain integer columns, not
# foreign keys: the triggers write them, and 0 stands for "not recorded" (no province, no
# theme) so that it takes part in the primary keys the triggers upsert on. Natural primary
# keys, no surrogate ids: a row is its key, so undoing a merge restores the very same rows. A
# quarter is written as year × 10 + quarter (20253 is 2025 Q3).


class ReachMember(models.Model):
    """One organisation reached by a service kind in a province, on a theme, in a quarter,
    with the number of deliveries behind it (the row goes when the last one is withdrawn)."""

    pk = models.CompositePrimaryKey("organisation_id", "kind_id", "province", "theme", "quarter")
    organisation_id = models.IntegerField()
    kind_id = models.IntegerField()
    province = models.IntegerField()
    theme = models.IntegerField()
    quarter = models.IntegerField()
    deliveries = models.IntegerField()

    class Meta:
        indexes = [
            # As ReachPerson's: distinct organisations of some kinds (summary.distinct_count).
            models.Index(
                fields=["kind_id", "quarter", "organisation_id", "province", "theme"],
                name="ledger_reachmember_kind",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.organisation_id} · {self.kind_id} · {self.province} · {self.theme} · "
            f"{self.quarter}"
        )


class ReachCell(models.Model):
    """Distinct organisations reached by a service kind in a province, on a theme, in a
    quarter: the number of ``ReachMember`` rows of that cell."""

    # Quarter first: the figures are read for a range of quarters.
    pk = models.CompositePrimaryKey("quarter", "kind_id", "province", "theme")
    kind_id = models.IntegerField()
    province = models.IntegerField()
    theme = models.IntegerField()
    quarter = models.IntegerField()
    organisations = models.IntegerField()

    def __str__(self) -> str:
        return (
            f"{self.kind_id} · {self.province} · {self.theme} · {self.quarter}: "
            f"{self.organisations}"
        )


class QuarterOrganisation(models.Model):
    """An organisation reached in a quarter, with the number of deliveries behind it."""

    pk = models.CompositePrimaryKey("organisation_id", "quarter")
    organisation_id = models.IntegerField()
    quarter = models.IntegerField()
    deliveries = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.quarter}"


class QuarterPerson(models.Model):
    """A person reached in a quarter, with the number of deliveries behind it."""

    pk = models.CompositePrimaryKey("person_id", "quarter")
    person_id = models.IntegerField()
    quarter = models.IntegerField()
    deliveries = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.person_id} · {self.quarter}"


class QuarterTotal(models.Model):
    """A quarter's distinct organisations, distinct people and deliveries (not withdrawn)."""

    quarter = models.IntegerField(primary_key=True)
    organisations = models.IntegerField(default=0)
    people = models.IntegerField(default=0)
    deliveries = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.quarter}: {self.organisations}, {self.people}, {self.deliveries}"


class ReachPerson(models.Model):
    """One person reached by a service kind in a province, on a theme, in a quarter, with the
    number of deliveries behind it: the people twin of ``ReachMember``."""

    pk = models.CompositePrimaryKey("person_id", "kind_id", "province", "theme", "quarter")
    person_id = models.IntegerField()
    kind_id = models.IntegerField()
    province = models.IntegerField()
    theme = models.IntegerField()
    quarter = models.IntegerField()
    deliveries = models.IntegerField()

    class Meta:
        indexes = [
            # The indicator reads (summary.distinct_count): distinct people of some kinds in a
            # range of quarters, from the index alone.
            models.Index(
                fields=["kind_id", "quarter", "person_id", "province", "theme"],
                name="ledger_reachperson_kind",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.person_id} · {self.kind_id} · {self.province} · {self.theme} · {self.quarter}"
        )


class DeliveryCell(models.Model):
    """Deliveries (not withdrawn) by service kind × province × quarter, and their hours — no
    theme: a delivery with two themes is still one delivery."""

    pk = models.CompositePrimaryKey("quarter", "kind_id", "province")
    kind_id = models.IntegerField()
    province = models.IntegerField()
    quarter = models.IntegerField()
    deliveries = models.IntegerField()
    # The sum of ``Delivery.quantity`` (none: 0) in hundredths of an hour: an integer, exact
    # on SQLite too (whose decimals are floating point).
    hour_hundredths = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.kind_id} · {self.province} · {self.quarter}: {self.deliveries}"


class OrganisationQuarters(models.Model):
    """The quarters an organisation was reached in by a service kind (0: any kind), as the
    bits of one integer per epoch of 60 quarters (``summary.quarter_epoch_and_bit``): what the
    indicator table counts over many quarters without sorting every quarter's rows."""

    pk = models.CompositePrimaryKey("organisation_id", "kind", "epoch")
    organisation_id = models.IntegerField()
    kind = models.IntegerField()
    epoch = models.IntegerField()
    quarters = models.BigIntegerField()

    class Meta:
        indexes = [
            # summary.distinct_count: the subjects of some kinds in some quarters, from the
            # index alone.
            models.Index(
                fields=["kind", "epoch", "organisation_id", "quarters"],
                name="ledger_orgquarters_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} · {self.kind} · {self.epoch}: {self.quarters:b}"


class PersonQuarters(models.Model):
    """The people twin of ``OrganisationQuarters``."""

    pk = models.CompositePrimaryKey("person_id", "kind", "epoch")
    person_id = models.IntegerField()
    kind = models.IntegerField()
    epoch = models.IntegerField()
    quarters = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["kind", "epoch", "person_id", "quarters"],
                name="ledger_personquarters_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.kind} · {self.epoch}: {self.quarters:b}"

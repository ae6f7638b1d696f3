"""The directory: organisations, people, and who works where. One real organisation is one row.

Identity rules (docs/directory.md) decide when two records are the same; the resolver
(``kaynak.directory.resolution``) applies them at the door and in bulk, and merges are recorded
and reversible (``MergeRecord``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from kaynak.core.db import TURKISH_COLLATION
from kaynak.core.models import ApplicantType, Province, Theme, TimeStampedModel


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class SizeBand(models.TextChoices):
    """People working or volunteering regularly (paid staff and volunteers together)."""

    MICRO = "micro", _("1–9 people")
    SMALL = "small", _("10–49 people")
    MEDIUM = "medium", _("50–249 people")
    LARGE = "large", _("250 people or more")


class Organisation(TimeStampedModel):
    """One legal entity: an association, foundation, cooperative, platform, municipality …

    A branch ("… Şubesi") is an organisation of its own, linked to its parent.
    """

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name or acronym"), max_length=60, blank=True)
    legal_form = models.ForeignKey(
        ApplicantType,
        to_field="slug",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("legal form"),
    )
    association_registry_no = models.CharField(
        _("association registry no."), max_length=40, blank=True
    )
    foundation_registry_no = models.CharField(
        _("foundation registry no."), max_length=40, blank=True
    )
    tax_no = models.CharField(_("tax no."), max_length=20, blank=True)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    district = models.CharField(_("district"), max_length=80, blank=True)
    address = models.TextField(_("address"), blank=True)
    # Normalised on the way in: e-mails lower-case, phones in E.164 (+905321234567).
    emails = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = models.JSONField(_("social media"), default=dict, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    founding_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    public_listing_consent = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_("The organisation agreed to appear in the public directory."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrganisationStatus.choices,
        default=OrganisationStatus.ACTIVE,
    )
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Staff checked the organisation's details.")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
        verbose_name=_("parent organisation"),
    )
    # search_key() of the name and short name: what the public and staff searches match.
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            # The public directory: listed organisations of a province.
            models.Index(fields=["province", "public_listing_consent"]),
            # Identity look-ups by registry number (exact match is strong evidence).
            models.Index(fields=["association_registry_no"]),
            models.Index(fields=["foundation_registry_no"]),
            models.Index(fields=["tax_no"]),
            # The resolver's freshness check: MAX(updated_at), once per look-up.
            models.Index(fields=["updated_at"], name="directory_org_updated_at"),
            # The directory lists, in Turkish alphabetical order: ORDER BY name COLLATE
            # "tr-TR-x-icu" LIMIT 20 walks this index instead of sorting every row (on SQLite
            # the sort would call the Python collation a million times at 100,000 rows).
            models.Index(Collate("name", TURKISH_COLLATION), name="directory_org_name_tr"),
            # The same within a province: a province filter, or the staff list by province.
            models.Index(
                F("province"), Collate("name", TURKISH_COLLATION), name="directory_org_prov_name_tr"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="directory_org_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other / prefers to self-describe")


class Person(TimeStampedModel):
    """Someone who registers, asks, attends or reviews. Personal data under KVKK/GDPR."""

    full_name = models.CharField(_("full name"), max_length=200)
    emails = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="tr"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("user account"),
    )
    erased_at = models.DateTimeField(
        _("erased at"),
        null=True,
        blank=True,
        help_text=_("Personal data was anonymised on request; service records are kept."),
    )
    search_text = models.CharField(max_length=250, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # The resolver's freshness check: MAX(updated_at), once per look-up.
            models.Index(fields=["updated_at"], name="directory_person_updated_at"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Affiliation(models.Model):
    """A person's role in an organisation, for a time. ``is_admin``: acts for the organisation
    in Kaynak (an NGO admin)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role or title"), max_length=120, blank=True)
    is_admin = models.BooleanField(
        _("organisation admin"),
        default=False,
        help_text=_("May edit the organisation's record and act for it."),
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            # One current affiliation per person and organisation; past ones may repeat.
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(end_date__isnull=True),
                name="directory_one_current_affiliation",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="directory_affiliation_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation}"


class ConsentPurpose(models.TextChoices):
    DATA_PROCESSING = "data-processing", _("Processing of personal data (KVKK)")
    CONTACT = "contact", _("Being contacted about activities")
    NEWSLETTER = "newsletter", _("Newsletters and funding digests")
    PHOTOS = "photos", _("Photos and recordings at activities")


class ConsentRecord(models.Model):
    """A consent given or withdrawn, with the exact text version shown. Never edited: a change
    is a new record, so the history proves what was agreed when."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("text version"), max_length=40)
    source = models.CharField(_("source"), max_length=40, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        # The current state of a purpose: the latest record for (person, purpose).
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.purpose} · {self.granted}"


class RecordKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same")


class DuplicateCandidate(models.Model):
    """A pair of records the resolver thinks may be one. Staff merge or reject it; a rejected
    pair is never proposed again (the unique constraint keeps the decision)."""

    kind = models.CharField(_("kind"), max_length=12, choices=RecordKind.choices)
    # Always left_id < right_id, so a pair has one row whichever way it was found.
    left_id = models.PositiveBigIntegerField(_("first record"))
    right_id = models.PositiveBigIntegerField(_("second record"))
    score = models.FloatField(_("score"))
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "left_id", "right_id"], name="directory_one_candidate_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(left_id__lt=models.F("right_id")), name="directory_candidate_ordered"
            ),
        ]
        # The staff queue: open pairs of a kind, best score first.
        indexes = [models.Index(fields=["kind", "status", "-score"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.left_id} ~ {self.right_id} ({self.score:.2f})"


class MergeRecord(models.Model):
    """A merge of ``merged_id`` into ``survivor_id``, with everything needed to undo it: the
    merged record as it was, the survivor's values before, and every reference that moved."""

    kind = models.CharField(_("kind"), max_length=12, choices=RecordKind.choices)
    survivor_id = models.PositiveBigIntegerField(_("kept record"))
    merged_id = models.PositiveBigIntegerField(_("merged record"))
    snapshot = models.JSONField(_("snapshot"))
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merged by"),
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        indexes = [models.Index(fields=["kind", "survivor_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.merged_id} → {self.survivor_id}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")


class ImportBatch(models.Model):
    """One uploaded spreadsheet. The original file is kept as received, whatever happens."""

    original_file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    column_mapping = models.JSONField(_("columns"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    report = models.JSONField(_("row-by-row report"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_created = models.PositiveIntegerField(_("new organisations"), default=0)
    rows_linked = models.PositiveIntegerField(_("linked to existing"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
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

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name

"""The funding radar's data: who funds (``Funder``), where their calls are read (``Source``),
each scan (``ScanRun``) and every body it fetched (``RawItem``, kept before any parsing), the calls
found (``Opportunity``, with every link it was reached through and every change), and what NGOs do
with them: saved searches and digests (``SavedSearch``), dismissals, and an organisation's own
pipeline (``TrackedOpportunity``).

Flow: Source → scan → RawItem (kept) → adapter → Candidate → extraction → ``services.ingest`` →
Opportunity draft (deduplicated) → editor publishes → listing, feeds, digests.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import ApplicantType, Country, Theme, TimeStampedModel
from kaynak.directory.models import Organisation

FLAG_AFTER_FAILURES = 3


def new_token() -> str:
    return secrets.token_urlsafe(24)


class FunderKind(models.TextChoices):
    EU = "eu", _("European Union")
    GOVERNMENT = "government", _("Government or ministry")
    DEVELOPMENT_AGENCY = "development-agency", _("Regional development agency")
    EMBASSY = "embassy", _("Embassy or consulate")
    UN = "un", _("UN agency")
    FOUNDATION = "foundation", _("Foundation")
    INTERNATIONAL_NGO = "international-ngo", _("International NGO")
    CORPORATE = "corporate", _("Company")
    OTHER = "other", _("Other")


class Funder(TimeStampedModel):
    """Who gives the money: the EU, a development agency, an embassy, a foundation …"""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=FunderKind.choices)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    website = models.URLField(_("website"), blank=True)
    # search_key() of both names, for matching an extracted funder name and for the admin.
    search_text = models.CharField(max_length=450, editable=False, db_index=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        from kaynak.core.text import search_key

        self.search_text = search_key(f"{self.name} {self.name_en}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SourceKind(models.TextChoices):
    RSS = "rss", _("RSS or Atom feed")
    HTML = "html", _("Web page with a list of calls")
    JSON = "json", _("JSON API")
    EU_FT = "eu-ft", _("EU Funding & Tenders portal")
    GRANTS_GOV = "grants-gov", _("Grants.gov")
    MANUAL = "manual", _("Entered by an editor")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class Source(TimeStampedModel):
    """One place the radar reads calls from, with its own schedule and health.

    ``config`` holds what the kind needs (see ``kaynak.radar.sources``): CSS selectors for an HTML
    list (item, title, link, date), a field mapping for a JSON API, the query of an adapter.
    A source is flagged after ``FLAG_AFTER_FAILURES`` failed scans in a row.
    """

    funder = models.ForeignKey(
        Funder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
        verbose_name=_("funder"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    config = models.JSONField(_("settings"), default=dict, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        blank=True,
        choices=[("tr", _("Turkish")), ("en", _("English"))],
        help_text=_("Leave empty to detect it per announcement."),
    )
    follow_links = models.BooleanField(
        _("read each call's own page"),
        default=True,
        help_text=_("Fetch the page each listed item links to, and extract from it."),
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    at_time = models.TimeField(_("time"), default=time(6, 0))
    next_scan_at = models.DateTimeField(_("next scan"), null=True, blank=True, db_index=True)
    last_scan_at = models.DateTimeField(_("last scan"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Stable key of a definition from the starter set, so importing it again updates, not adds.
    starter_key = models.SlugField(max_length=80, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    @property
    def flagged(self) -> bool:
        return self.consecutive_failures >= FLAG_AFTER_FAILURES

    def next_run_after(self, moment: datetime) -> datetime:
        """The next scheduled time strictly after ``moment``, in the site's time zone (the
        default weekly schedule is Monday 06:00 Europe/Istanbul)."""
        zone = ZoneInfo(settings.TIME_ZONE)
        local = moment.astimezone(zone)
        candidate = datetime.combine(local.date(), self.at_time, tzinfo=zone)
        step = timedelta(days=1)
        for _day in range(8):
            if candidate > local and (
                self.frequency == Frequency.DAILY or candidate.weekday() == self.weekday
            ):
                return candidate
            candidate = datetime.combine(candidate.date() + step, self.at_time, tzinfo=zone)
        return candidate  # pragma: no cover - eight days always contain the weekday


class ScanTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    EDITOR = "editor", _("Editor")
    COMMAND = "command", _("Command line")


class ScanStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class ScanRun(models.Model):
    """One scan of one source and its report: new, updated, unchanged and failed items, each
    failure with its reason (``report`` lists ``{"url", "outcome", "reason", "opportunity"}``)."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="scans", verbose_name=_("source")
    )
    trigger = models.CharField(_("started by"), max_length=10, choices=ScanTrigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person who started it"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.RUNNING
    )
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    report = models.JSONField(_("report"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"


class RawRole(models.TextChoices):
    LISTING = "listing", _("List of calls")
    DETAIL = "detail", _("A call's own page")
    RECORD = "record", _("API record")
    MANUAL = "manual", _("Entered by an editor")


class RawOutcome(models.TextChoices):
    PENDING = "pending", _("Not parsed yet")
    NEW = "new", _("New call")
    UPDATED = "updated", _("Known call, changed")
    UNCHANGED = "unchanged", _("Known call, unchanged")
    LISTED = "listed", _("List read")
    NOT_MODIFIED = "not-modified", _("Not modified since the last scan")
    FAILED = "failed", _("Failed")
    NO_TEXT = "no-text", _("No text (a scan without a text layer?)")


class RawItem(models.Model):
    """One fetched body exactly as it came, kept before any parsing so a better parser can read
    history again (``kaynak radar reextract``). A failed fetch is kept too, with its reason."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="raw_items", verbose_name=_("source")
    )
    scan = models.ForeignKey(
        ScanRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raw_items",
        verbose_name=_("scan"),
    )
    role = models.CharField(_("role"), max_length=10, choices=RawRole.choices)
    url = models.URLField(_("address"), max_length=2000, blank=True)
    final_url = models.URLField(_("address after redirects"), max_length=2000, blank=True)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    # An identifier the source gives the item (feed guid, EU reference, Grants.gov number).
    item_key = models.CharField(_("identifier at the source"), max_length=300, blank=True)
    # What the adapter read from a list or API besides the body (title, link, date …).
    listed = models.JSONField(_("listed fields"), default=dict, blank=True)
    fetch_error = models.CharField(_("fetch failure"), max_length=60, blank=True)
    fetch_error_detail = models.TextField(_("fetch failure detail"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=14, choices=RawOutcome.choices, default=RawOutcome.PENDING
    )
    outcome_detail = models.TextField(_("outcome detail"), blank=True)
    extracted = models.JSONField(_("extracted fields"), default=dict, blank=True)
    extracted_at = models.DateTimeField(_("extracted"), null=True, blank=True)
    opportunity = models.ForeignKey(
        "Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raw_items",
        verbose_name=_("call"),
    )

    class Meta:
        ordering = ["-fetched_at", "-id"]
        verbose_name = _("raw item")
        verbose_name_plural = _("raw items")
        indexes = [models.Index(fields=["source", "url", "-fetched_at"])]

    def __str__(self) -> str:
        return self.url or f"#{self.pk}"


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class DeadlineKind(models.TextChoices):
    FIXED = "fixed", _("Fixed deadline")
    ROLLING = "rolling", _("Open all year")
    NONE = "none", _("No deadline stated")


class Opportunity(TimeStampedModel):
    """One funding call, however many sources it was reached through.

    The deadline is kept as the announcement states it (``deadline_date``, ``deadline_time``,
    ``deadline_timezone``: wall-clock in the stated zone, Europe/Istanbul when none is stated) and
    as one instant (``deadline_at``, UTC) for sorting, "closing soon" and feeds. ``extracted``
    keeps what the machine read, so an editor's corrections can become labelled cases.
    """

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("original announcement"), max_length=2000, blank=True)
    # normalise_url(url): scheme/host lower-cased, tracking parameters and fragment dropped.
    canonical_url = models.CharField(max_length=2000, blank=True, db_index=True)
    funder = models.ForeignKey(
        Funder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        verbose_name=_("funder"),
    )
    funder_name = models.CharField(
        _("funder as written"),
        max_length=300,
        blank=True,
        help_text=_("Shown when the funder is not in the list of funders."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=[("tr", _("Turkish")), ("en", _("English"))]
    )
    # An identifier the funder gives the call (EU topic reference, Grants.gov number …).
    external_id = models.CharField(_("reference"), max_length=200, blank=True, db_index=True)
    deadline_kind = models.CharField(
        _("deadline kind"),
        max_length=10,
        choices=DeadlineKind.choices,
        default=DeadlineKind.NONE,
    )
    deadline_date = models.DateField(_("deadline"), null=True, blank=True)
    deadline_time = models.TimeField(_("deadline time"), null=True, blank=True)
    deadline_timezone = models.CharField(_("deadline time zone"), max_length=60, blank=True)
    deadline_at = models.DateTimeField(
        _("deadline (instant)"), null=True, blank=True, db_index=True
    )
    # Further cut-offs, e.g. [{"date": "2027-03-01", "label": "full application"}].
    other_deadlines = models.JSONField(_("other deadlines"), default=list, blank=True)
    amount_min = models.DecimalField(
        _("smallest grant"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("largest grant"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    applicant_types = models.ManyToManyField(
        ApplicantType, blank=True, related_name="+", verbose_name=_("who may apply")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("eligible countries")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    extracted = models.JSONField(_("extracted fields"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Last change a subscriber should hear about (deadline moved, corrigendum), for digests.
    changed_at = models.DateTimeField(_("last notable change"), null=True, blank=True)
    # search_key() of title, summary and funder: folded search on every database.
    search_text = models.TextField(editable=False, default="")
    title_key = models.CharField(max_length=500, editable=False, default="", db_index=True)

    class Meta:
        ordering = ["deadline_at", "-id"]
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=models.F("amount_max")),
                name="radar_opportunity_amount_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="radar_opportunity_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder else self.funder_name

    @property
    def is_open(self) -> bool:
        return self.deadline_at is None or self.deadline_at >= timezone.now()


class OpportunityLink(models.Model):
    """One address a call was reached through (funder site, EU delegation, a newsletter)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="links", verbose_name=_("call")
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("source"),
    )
    url = models.URLField(_("address"), max_length=2000)
    canonical_url = models.CharField(max_length=2000, db_index=True)
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    # What the machine last read through this link: a scan changes the call only where this
    # reading changed, so an editor's correction survives re-scans of an unchanged page.
    extracted = models.JSONField(_("extracted fields"), default=dict, blank=True)

    class Meta:
        ordering = ["first_seen_at", "id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "canonical_url"], name="radar_link_once_per_call"
            )
        ]

    def __str__(self) -> str:
        return self.url


class ChangeOrigin(models.TextChoices):
    SCAN = "scan", _("Scan")
    EDITOR = "editor", _("Editor")


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Found")
    UPDATED = "updated", _("Updated")
    DEADLINE = "deadline", _("Deadline changed")
    CORRIGENDUM = "corrigendum", _("Corrigendum")
    EDITED = "edited", _("Corrected by an editor")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("Back to drafts")


class OpportunityChange(models.Model):
    """Every change to a call, by a scan or an editor: ``fields`` is ``{name: [old, new]}`` with
    JSON values. ``notable`` changes (deadline moved, corrigendum) reach subscribers."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="changes", verbose_name=_("call")
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    origin = models.CharField(_("origin"), max_length=10, choices=ChangeOrigin.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=ChangeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    raw_item = models.ForeignKey(
        RawItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raw item"),
    )
    fields = models.JSONField(_("changed fields"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    notable = models.BooleanField(_("tell subscribers"), default=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.kind} {self.at:%Y-%m-%d}"


class SavedSearch(TimeStampedModel):
    """A search someone wants to hear about: a logged-in user's, or anyone's by e-mail after
    double opt-in (``confirmed_at``). ``query`` holds the listing's filters (see
    ``kaynak.radar.queries.SearchFilters``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="radar_searches",
        verbose_name=_("user"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=2, default="tr")
    name = models.CharField(_("name"), max_length=200, blank=True)
    query = models.JSONField(_("search"), default=dict, blank=True)
    notify_new = models.BooleanField(_("new calls"), default=True)
    notify_changes = models.BooleanField(_("changes (deadline, corrigendum)"), default=True)
    notify_closing = models.BooleanField(_("closing soon"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DigestKind(models.TextChoices):
    NEW = "new", _("New")
    CHANGE = "change", _("Changed")
    CLOSING = "closing", _("Closing soon")


class DigestEntry(models.Model):
    """A call told to one saved search, so no digest repeats it (a change is told once per
    change, keyed by the change's time)."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="entries")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DigestKind.choices)
    change_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["search", "opportunity", "kind"],
                condition=Q(change_at__isnull=True),
                name="radar_digest_entry_once",
            ),
            models.UniqueConstraint(
                fields=["search", "opportunity", "kind", "change_at"],
                condition=Q(change_at__isnull=False),
                name="radar_digest_change_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.search_id} {self.opportunity_id} {self.kind}"


class Dismissal(models.Model):
    """ "Not relevant": the call never appears again in this address's digests."""

    email = models.EmailField(_("e-mail address"), db_index=True)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "opportunity"], name="radar_dismissal_once")
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.opportunity_id}"


class PipelineStage(models.TextChoices):
    INTERESTED = "interested", _("Interested")
    PREPARING = "preparing", _("Preparing")
    SUBMITTED = "submitted", _("Submitted")
    WON = "won", _("Won")
    NOT_WON = "not-won", _("Not won")


class TrackedOpportunity(TimeStampedModel):
    """A call an organisation follows in its own pipeline. The center sees it only when the
    organisation agreed (``shared_with_center``); won/not won is a funding outcome for the
    impact report."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="tracked_opportunities",
        verbose_name=_("organisation"),
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="tracked", verbose_name=_("call")
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=PipelineStage.choices, default=PipelineStage.INTERESTED
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible"),
    )
    notes = models.TextField(_("notes"), blank=True)
    amount_requested = models.DecimalField(
        _("amount requested"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    amount_won = models.DecimalField(
        _("amount won"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    shared_with_center = models.BooleanField(
        _("share with the center"),
        default=False,
        help_text=_("The center may see that you follow this call and its outcome."),
    )
    remind = models.BooleanField(_("deadline reminders by e-mail"), default=True)
    reminded_7d_at = models.DateTimeField(null=True, blank=True)
    reminded_1d_at = models.DateTimeField(null=True, blank=True)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        ordering = ["opportunity__deadline_at", "id"]
        verbose_name = _("tracked call")
        verbose_name_plural = _("tracked calls")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "opportunity"], name="radar_track_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.opportunity}"

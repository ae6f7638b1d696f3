"""The support desk ("Destek Noktası") and the EU Support Unit: queues, their categories, the
requests people send, the messages and notes on them, their attachments, every received mail
kept raw, canned replies and satisfaction answers.

Only ``kaynak.helpdesk.services`` writes these rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import Province, Theme
from kaynak.core.storage import PrivateFileStorage
from kaynak.directory.models import Organisation, Person


@deconstructible
class HelpdeskFileStorage(PrivateFileStorage):
    """Attachments, under ``HELPDESK_FILES_DIR`` (default ``<VAR_DIR>/helpdesk-files``); the
    attachment view streams them."""

    setting_name = "HELPDESK_FILES_DIR"
    default_dir = "helpdesk-files"


helpdesk_files = HelpdeskFileStorage()


class QueueKind(models.TextChoices):
    """What a queue's resolved requests count as in the ledger (the ServiceKind slug)."""

    SUPPORT = "support", _("Support desk")
    EU_SUPPORT = "eu-support", _("EU Support Unit")


class Queue(models.Model):
    """Where requests arrive and who answers them, with the SLA targets in business minutes."""

    name_tr = models.CharField(_("name (Turkish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QueueKind.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="helpdesk_queues",
        verbose_name=_("agents"),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response target (business minutes)"), default=8 * 60
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution target (business minutes)"), default=5 * 9 * 60
    )
    # Optional, as kaynak.helpdesk.sla.BusinessCalendar.from_settings reads it: {"zone":
    # "Europe/Istanbul", "hours": {"mon": ["09:00-12:30", "13:30-18:00"], …}, "holidays": "TR",
    # "closed_dates": ["2026-12-31"]}; empty means the default calendar.
    business_hours = models.JSONField(_("business hours"), default=dict, blank=True)
    token_prefix = models.CharField(
        _("token prefix"), max_length=4, help_text=_("Request codes start with it, e.g. DN.")
    )
    is_default = models.BooleanField(
        _("default queue"), default=False, help_text=_("Mail to an unknown address lands here.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="helpdesk_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "tr").startswith("en") else self.name_tr


class Category(models.Model):
    """What a request is about; its themes go to the ledger delivery."""

    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, related_name="categories", verbose_name=_("queue")
    )
    name_tr = models.CharField(_("name (Turkish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=40)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["queue", "position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["queue", "slug"], name="helpdesk_category_slug"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "tr").startswith("en") else self.name_tr


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for the requester")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


# Requests someone still has to act on; the SLA clocks run for these (except WAITING).
UNFINISHED = (RequestStatus.NEW, RequestStatus.OPEN, RequestStatus.WAITING)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in-person", _("In person")


class Request(models.Model):
    """One question from one person (for their organisation), answered in one thread."""

    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="requests", verbose_name=_("queue")
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("category"),
    )
    token = models.CharField(_("code"), max_length=16, unique=True)
    subject = models.CharField(_("subject"), max_length=250)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    requester = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpdesk_requests",
        verbose_name=_("requester"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="helpdesk_requests",
        verbose_name=_("organisation"),
    )
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="tr")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helpdesk_assigned",
        verbose_name=_("assignee"),
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The ledger delivery keeps the date of the first resolution: re-resolving after a reopen
    # must not move the support into a later reporting period.
    first_resolved_at = models.DateTimeField(_("first resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_response_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_breached_at = models.DateTimeField(
        _("first response breached at"), null=True, blank=True
    )
    resolution_breached_at = models.DateTimeField(
        _("resolution breached at"), null=True, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_requests",
        verbose_name=_("merged into"),
    )
    is_spam = models.BooleanField(_("spam"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [
            # The agents' lists: a queue's unfinished requests, newest first.
            models.Index(fields=["queue", "status", "created_at"], name="helpdesk_queue_status"),
            # check_sla: unfinished requests whose dues come up.
            models.Index(fields=["status", "first_response_due"], name="helpdesk_fr_due"),
            models.Index(fields=["status", "resolution_due"], name="helpdesk_res_due"),
            # New mail from a known address (spam, loop guard, privacy).
            models.Index(fields=["requester_email"], name="helpdesk_requester_email"),
        ]

    def __str__(self) -> str:
        return f"[#{self.token}] {self.subject}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED)


class RequestPause(models.Model):
    """A stretch of time the SLA clocks stood still: waiting for the requester."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("request")
    )
    started_at = models.DateTimeField(_("paused from"))
    ended_at = models.DateTimeField(_("paused until"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(ended_at__isnull=True),
                name="helpdesk_one_open_pause",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} – {self.ended_at or '…'}"


class RawMailStatus(models.TextChoices):
    PROCESSED = "processed", _("Processed")
    QUARANTINED = "quarantined", _("Quarantined")
    IGNORED_AUTO = "ignored-auto", _("Ignored: automatic reply or bounce")
    IGNORED_LOOP = "ignored-loop", _("Ignored: mail loop")
    IGNORED_SPAM = "ignored-spam", _("Ignored: sender marked as spam")


class RawMail(models.Model):
    """Every received mail, byte for byte, and what became of it. The quarantine list is the
    ones that could not be read: nothing received is ever lost."""

    data = models.BinaryField(_("message"))
    sha256 = models.CharField(max_length=64, db_index=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=RawMailStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    from_address = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    message_id = models.CharField(max_length=250, blank=True)
    request = models.ForeignKey(
        Request,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raw_mails",
        verbose_name=_("request"),
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("received mail")
        verbose_name_plural = _("received mails")
        indexes = [
            # The quarantine list.
            models.Index(fields=["status", "received_at"], name="helpdesk_rawmail_status"),
            # The loop guard: mails from one address in the last hour.
            models.Index(fields=["from_address", "received_at"], name="helpdesk_rawmail_from"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address} · {self.subject}"


class Direction(models.TextChoices):
    IN = "in", _("From the requester")
    OUT = "out", _("To the requester")


class Message(models.Model):
    """One message in a request's thread: the requester's (web, mail, phone) or an agent's."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="messages", verbose_name=_("request")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    from_address = models.CharField(_("sender"), max_length=254, blank=True)
    body = models.TextField(_("text"))
    # The quoted history the mail carried, taken out of ``body`` but kept.
    quoted = models.TextField(_("quoted history"), blank=True)
    html_sanitised = models.TextField(blank=True)
    raw_message = models.ForeignKey(
        RawMail,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("received mail"),
    )
    message_id = models.CharField(max_length=250, blank=True)
    in_reply_to = models.CharField(max_length=250, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Channel.choices)
    # Attachments refused (too big, dangerous): [{"name": …, "reason": …}].
    refused_attachments = models.JSONField(default=list, blank=True)
    is_automatic = models.BooleanField(default=False)  # a confirmation, not an agent's answer
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            # Threading: In-Reply-To / References of a received mail.
            models.Index(fields=["message_id"], name="helpdesk_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.request.token} · {self.get_direction_display()} · {self.sent_at:%Y-%m-%d}"


class InternalNote(models.Model):
    """A note only agents see; the mentioned colleagues are told."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="notes", verbose_name=_("request")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("note"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentions")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.request_id} · {self.created_at:%Y-%m-%d}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # By content hash: a name typed by a stranger never becomes a path on disk.
    return f"{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file on a message or a note, stored outside the web root (``helpdesk_files``)."""

    message = models.ForeignKey(
        Message,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    note = models.ForeignKey(
        InternalNote,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("note"),
    )
    file = models.FileField(storage=helpdesk_files, upload_to=attachment_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(message__isnull=False, note__isnull=True)
                | Q(message__isnull=True, note__isnull=False),
                name="helpdesk_attachment_on_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def request(self) -> Request:
        owner = self.message if self.message_id is not None else self.note
        assert owner is not None
        return owner.request


CANNED_VARIABLE = re.compile(r"\{(requester_name|token|agent_name|organisation)\}")


class CannedReply(models.Model):
    """A ready answer in Turkish and English with {requester_name} {token} {agent_name}
    {organisation} filled in."""

    queue = models.ForeignKey(
        Queue,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="canned_replies",
        verbose_name=_("queue"),
        help_text=_("Empty: offered in every queue."),
    )
    title = models.CharField(_("title"), max_length=200)
    body_tr = models.TextField(_("text (Turkish)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")

    def __str__(self) -> str:
        return self.title

    def render(self, language: str, values: Mapping[str, Any]) -> str:
        """The text in ``language`` (Turkish when there is no English one) with the known
        variables replaced. Not ``str.format``: a reply's text cannot reach attributes or
        raise on a stray brace; unknown ``{names}`` stay as typed."""
        text = self.body_en if language.startswith("en") and self.body_en else self.body_tr
        return CANNED_VARIABLE.sub(lambda m: str(values.get(m.group(1), "")), text)


class SatisfactionResponse(models.Model):
    """The requester's answer to "how did we do?" after a resolution (the last one counts)."""

    request = models.OneToOneField(
        Request, on_delete=models.CASCADE, related_name="satisfaction", verbose_name=_("request")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("satisfaction answer")
        verbose_name_plural = _("satisfaction answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="helpdesk_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.score}/5"


# The EU Support Unit's registry of EU-funded projects ------------------------------------------
# (written only by kaynak.helpdesk.projects)


class EUProgramme(models.TextChoices):
    """The EU funding lines NGOs in Turkey apply to. A fixed list, not rows: it changes once in
    a multiannual framework, and reports group by it; anything else is "other"."""

    IPA_CSF = "ipa-csf", _("IPA III / Civil Society Facility")
    ERASMUS = "erasmus", _("Erasmus+")
    CERV = "cerv", _("CERV (Citizens, Equality, Rights and Values)")
    HORIZON = "horizon", _("Horizon Europe")
    NDICI_HRD = "ndici-hrd", _("EIDHR / NDICI Human Rights and Democracy")
    CREATIVE_EUROPE = "creative-europe", _("Creative Europe")
    SIVIL_DUSUN = "sivil-dusun", _("Sivil Düşün")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Applied")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class PartnerRole(models.TextChoices):
    CO_APPLICANT = "co-applicant", _("Co-applicant")
    AFFILIATED_ENTITY = "affiliated-entity", _("Affiliated entity")
    ASSOCIATE = "associate", _("Associate")


class EUProject(models.Model):
    """An EU-funded NGO project the EU Support Unit supports: its lead organisation and
    partners, money, dates, places and themes. Shown publicly only with the lead's consent."""

    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    programme = models.CharField(_("EU programme"), max_length=20, choices=EUProgramme.choices)
    reference = models.CharField(
        _("reference number"),
        max_length=80,
        blank=True,
        help_text=_("E.g. EuropeAid/178371/DD/ACT/TR or a grant agreement number 101…"),
    )
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="eu_projects_led",
        verbose_name=_("lead organisation"),
    )
    partners = models.ManyToManyField(
        Organisation,
        through="ProjectPartner",
        blank=True,
        related_name="eu_projects_partnered",
        verbose_name=_("partners"),
    )
    total_budget = models.DecimalField(
        _("total budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eu_contribution = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    provinces = models.ManyToManyField(
        Province, blank=True, related_name="+", verbose_name=_("provinces")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.ONGOING
    )
    description = models.TextField(_("description"), blank=True)
    public_consent = models.BooleanField(
        _("shown in the public list"),
        default=False,
        help_text=_("The lead organisation agreed that the project appears in the public list."),
    )
    public_consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    public_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    staff_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="eu_projects",
        verbose_name=_("staff contact"),
    )
    # Folded title, acronym and reference (kaynak.core.text.search_key) for the staff search.
    search_text = models.CharField(max_length=500, editable=False, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("EU project")
        verbose_name_plural = _("EU projects")
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="helpdesk_eu_reference"
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="helpdesk_eu_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True) | Q(eu_contribution__gte=0),
                name="helpdesk_eu_contribution_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__isnull=True)
                | Q(total_budget__isnull=True)
                | Q(eu_contribution__lte=models.F("total_budget")),
                name="helpdesk_eu_contribution_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="helpdesk_eu_ends_after_start",
            ),
        ]
        indexes = [
            # The public list: consented projects, newest first.
            models.Index(fields=["public_consent", "start_date"], name="helpdesk_eu_public"),
        ]

    def __str__(self) -> str:
        return f"{self.acronym} · {self.title}" if self.acronym else self.title

    @property
    def contribution_percent(self) -> Decimal | None:
        """The EU's share of the budget, in percent (one decimal)."""
        if self.eu_contribution is None or not self.total_budget:
            return None
        return (self.eu_contribution * 100 / self.total_budget).quantize(Decimal("0.1"))


class ProjectPartner(models.Model):
    """An organisation's part in a project besides the lead."""

    project = models.ForeignKey(
        EUProject, on_delete=models.CASCADE, related_name="partnerships", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="eu_project_partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="helpdesk_eu_partner_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"


class ProjectRequest(models.Model):
    """A support request of the EU Support Unit about a project. The request's own ledger
    delivery (written when it is resolved) is the only one: the link adds none."""

    project = models.ForeignKey(
        EUProject, on_delete=models.CASCADE, related_name="request_links", verbose_name=_("project")
    )
    request = models.OneToOneField(
        Request,
        on_delete=models.CASCADE,
        related_name="eu_project_link",
        verbose_name=_("support request"),
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        ordering = ["-linked_at", "-pk"]
        verbose_name = _("project's support request")
        verbose_name_plural = _("projects' support requests")

    def __str__(self) -> str:
        return f"{self.project_id} · {self.request_id}"


class MeetingMode(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")


class TechnicalSupportMeeting(models.Model):
    """A technical-support meeting with a project's organisations: one ledger delivery per
    attending organisation and per attending person."""

    project = models.ForeignKey(
        EUProject, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    mode = models.CharField(_("mode"), max_length=10, choices=MeetingMode.choices)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("province"),
    )
    topics = models.TextField(_("topics"))
    organisations = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("attending organisations")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("attending people")
    )
    notes = models.TextField(_("internal notes"), blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # A meeting recorded by mistake is deleted by marking it: its withdrawn deliveries keep a
    # source that explains them.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("technical-support meeting")
        verbose_name_plural = _("technical-support meetings")

    def __str__(self) -> str:
        return f"{self.project} · {self.date:%Y-%m-%d}"

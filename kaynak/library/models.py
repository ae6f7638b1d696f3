"""The resource library: articles (FAQ answers, information notes), documents (PDF guides),
videos (YouTube/Vimeo), webinar recordings from the trainings app and publications, grouped in
categories and video series, with themes and tags; and the center's news posts.

Fields computed by ``services`` (never typed in the admin): ``body`` is cleaned HTML (nh3),
``body_text`` the plain text of the body and ``file_text`` that of the PDF (for Turkish
full-text search and the accessible "text" view of a document), ``search_text`` and
``title_key`` their ``search_key()`` folding, ``video_provider``/``video_id`` parsed from
``video_url``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import Theme, TimeStampedModel


class ResourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    DOCUMENT = "document", _("Document")
    VIDEO = "video", _("Video")
    RECORDING = "recording", _("Webinar recording")
    PUBLICATION = "publication", _("Publication")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ContentLanguage(models.TextChoices):
    TURKISH = "tr", _("Turkish")
    ENGLISH = "en", _("English")


class VideoProvider(models.TextChoices):
    YOUTUBE = "youtube", "YouTube"
    VIMEO = "vimeo", "Vimeo"


class BilingualNamed(models.Model):
    name_tr = models.CharField(_("name (Turkish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "tr").startswith("en") else self.name_tr


class Category(BilingualNamed):
    """A shelf of the library (association law, accounts and tax …), in the order shown."""

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Series(BilingualNamed):
    """Videos (or other resources) meant to be watched in order, e.g. a video series on
    NGOs' economic enterprises."""

    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("series")
        verbose_name_plural = _("series")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


def resource_upload_to(instance: Resource, filename: str) -> str:
    return f"library/{instance.slug or 'resource'}.pdf"


class Resource(TimeStampedModel):
    """One item of the library; only published ones are shown outside the admin."""

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "HTML (paragraphs, headings, lists, links, bold, italics, tables); anything else is "
            "removed when saved. Text without any tag is split into paragraphs at blank lines."
        ),
    )
    file = models.FileField(
        _("PDF file"),
        upload_to=resource_upload_to,
        blank=True,
        help_text=_("For documents and publications: a PDF; its text is made searchable."),
    )
    video_url = models.URLField(
        _("video address"), blank=True, help_text=_("A YouTube or Vimeo address.")
    )
    link_url = models.URLField(
        _("web address"),
        blank=True,
        help_text=_("For publications kept elsewhere: the address where they can be read."),
    )
    video_provider = models.CharField(
        max_length=10, choices=VideoProvider.choices, blank=True, editable=False
    )
    video_id = models.CharField(max_length=40, blank=True, editable=False)
    recording_session = models.ForeignKey(
        "programmes.Session",
        verbose_name=_("session recorded"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_resources",
        help_text=_("For webinar recordings: the session; its recording address is used."),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
    )
    series_position = models.PositiveSmallIntegerField(_("place in the series"), default=0)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=ContentLanguage.choices, default="tr"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    body_text = models.TextField(editable=False, default="")
    file_text = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    title_key = models.CharField(max_length=250, editable=False, default="", db_index=True)
    helpful_yes = models.PositiveIntegerField(_("found it helpful"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(
        _("did not find it helpful"), default=0, editable=False
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            # The public listing: published resources, newest first.
            models.Index(fields=["status", "-published_at"], name="library_res_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="library_resource_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def watch_url(self) -> str:
        """The address of the video or recording on its own site ("" if none)."""
        if self.video_url:
            return self.video_url
        if self.recording_session is not None:
            return self.recording_session.recording_url
        return ""


class NewsPost(TimeStampedModel):
    """A news item of the center (a new guide, a change in the law, an event)."""

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(
        _("text"), blank=True, help_text=_("HTML, cleaned when saved, as for articles.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=ContentLanguage.choices, default="tr"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        indexes = [
            # The news list and its RSS feed: published posts, newest first.
            models.Index(fields=["status", "-published_at"], name="library_news_listing_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="library_newspost_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

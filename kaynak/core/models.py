"""Reference data every app shares, the center's identity, the audit log, and model mixins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaynak.core.text import search_key


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BilingualLabelModel(models.Model):
    """A row with a Turkish and an English label; ``label`` follows the active language."""

    name_tr = models.CharField(_("name (Turkish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    # search_key() of both names and the code/slug, so "istanbul" finds "İSTANBUL".
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "tr").startswith("en") else self.name_tr


class Region(BilingualLabelModel):
    """One of Turkey's 12 NUTS-1 (İBBS-1) statistical regions."""

    code = models.CharField(_("NUTS code"), max_length=3, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Province(models.Model):
    """One of Turkey's 81 provinces (il); the primary key is its licence-plate code."""

    plate_code = models.PositiveSmallIntegerField(_("plate code"), primary_key=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=40)
    name_ascii = models.CharField(_("name (ASCII)"), max_length=40)
    search_text = models.CharField(max_length=120, editable=False, db_index=True, default="")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region")
    )

    class Meta:
        ordering = ["plate_code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "tr").startswith("en") else self.name


class Country(BilingualLabelModel):
    """An ISO 3166-1 country (plus XK, Kosovo)."""

    code = models.CharField(_("ISO 3166 code"), max_length=2, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Currency(BilingualLabelModel):
    """An ISO 4217 currency."""

    code = models.CharField(_("ISO 4217 code"), max_length=3, primary_key=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")


class Theme(BilingualLabelModel):
    """A theme of civil-society work (children, environment …); slugs are stable."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class ApplicantType(BilingualLabelModel):
    """A kind of body (association, foundation, municipality …); slugs are stable."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("applicant type")
        verbose_name_plural = _("applicant types")


class AuditEntry(models.Model):
    """One thing someone did: a namespaced action (``kaynak.portal.center_settings.changed``)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=120)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("type")
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        # An object's history page: WHERE content_type_id = %s AND object_id = %s.
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


def fold_for_search(value: Any) -> str:
    """``search_key`` for model fields that may be empty."""
    return search_key(str(value or ""))


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits, e.g. #1d4e89.")
)


class CenterSettings(models.Model):
    """One row: who runs this copy of Kaynak. Any resource center can run its own."""

    name_tr = models.CharField(_("center name (Turkish)"), max_length=120, default="Kaynak Merkezi")
    name_en = models.CharField(
        _("center name (English)"), max_length=120, default="Resource Center"
    )
    tagline_tr = models.CharField(_("tagline (Turkish)"), max_length=200, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=200, blank=True)
    about_tr = models.TextField(_("about (Turkish)"), blank=True)
    about_en = models.TextField(_("about (English)"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="center/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1d4e89", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#e07a1f", validators=[colour_validator]
    )
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    public_impact_summary = models.BooleanField(
        _("show the impact summary to the public"), default=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("center settings")
        verbose_name_plural = _("center settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="core_center_settings_single"),
        ]

    def __str__(self) -> str:
        return self.name

    def _pick(self, tr: str, en: str) -> str:
        return (en or tr) if (get_language() or "tr").startswith("en") else (tr or en)

    @property
    def name(self) -> str:
        return self._pick(self.name_tr, self.name_en)

    @property
    def tagline(self) -> str:
        return self._pick(self.tagline_tr, self.tagline_en)

    @property
    def about(self) -> str:
        return self._pick(self.about_tr, self.about_en)

    @classmethod
    def current(cls) -> CenterSettings:
        center, _created = cls.objects.get_or_create(pk=1)
        return center

"""Reference data every app shares, the audit log, and model mixins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
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

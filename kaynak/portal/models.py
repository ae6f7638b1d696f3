"""The center's own identity: name, logo, colours and contact details, editable by its admins."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("center settings")
        verbose_name_plural = _("center settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="portal_center_settings_single"),
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
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings

from __future__ import annotations

from django import forms

from kaynak.core.models import CenterSettings


class CenterSettingsForm(forms.ModelForm[CenterSettings]):
    class Meta:
        model = CenterSettings
        fields = [
            "name_tr",
            "name_en",
            "tagline_tr",
            "tagline_en",
            "about_tr",
            "about_en",
            "logo",
            "primary_colour",
            "accent_colour",
            "email",
            "phone",
            "address",
            "website",
            "public_impact_summary",
        ]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "about_tr": forms.Textarea(attrs={"rows": 5}),
            "about_en": forms.Textarea(attrs={"rows": 5}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

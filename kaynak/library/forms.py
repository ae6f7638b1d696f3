"""The library listing's filter form: reads GET parameters into ``queries.LibraryFilters``; a
value the listing cannot use is explained next to its field and left out."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kaynak.library.models import ContentLanguage
from kaynak.library.queries import LibraryFilters


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *ContentLanguage.choices],
    )

    def __init__(self, data: Any, *, choices: dict[str, Any]) -> None:
        super().__init__(data)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        kinds: Any = [("", _("All kinds")), *choices["kinds"]]
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        categories: Any = [("", _("All categories"))]
        categories += [(c.slug, c.label) for c in choices["categories"]]
        cast(forms.ChoiceField, self.fields["category"]).choices = categories
        themes: Any = [("", _("All themes"))] + [(t.slug, t.label) for t in choices["themes"]]
        cast(forms.ChoiceField, self.fields["theme"]).choices = themes

    def filters(self, *, tag: str = "") -> LibraryFilters:
        """The filters from the fields that are valid (the others do not narrow)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return LibraryFilters(
            q=" ".join(str(data.get("q") or "").split()),
            kind=data.get("kind") or "",
            category=data.get("category") or "",
            theme=data.get("theme") or "",
            language=data.get("language") or "",
            tag=tag,
        )

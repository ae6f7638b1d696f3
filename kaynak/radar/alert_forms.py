"""Forms of saved searches and of a tracked call: they read and check what was typed; the
services in ``alerts`` and ``tracking`` do the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import User
from kaynak.directory.models import Organisation
from kaynak.radar.models import PipelineStage, SavedSearch, TrackedOpportunity


class SwitchesForm(forms.Form):
    """A saved search's name and switches (new calls, changes, closing soon)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("So you can tell your searches apart, e.g. “Women's employment, İzmir”."),
    )
    notify_new = forms.BooleanField(label=_("New calls that match"), required=False)
    notify_changes = forms.BooleanField(
        label=_("Changes to calls already told (deadline extended, corrigendum)"),
        required=False,
    )
    notify_closing = forms.BooleanField(label=_("Calls closing within 7 days"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(
            cleaned.get(name) for name in ("notify_new", "notify_changes", "notify_closing")
        ):
            raise forms.ValidationError(
                _("Choose at least one kind of news, or stop this search instead.")
            )
        return cleaned

    @classmethod
    def for_search(cls, search: SavedSearch, **kwargs: Any) -> SwitchesForm:
        return cls(
            initial={
                "name": search.name,
                "notify_new": search.notify_new,
                "notify_changes": search.notify_changes,
                "notify_closing": search.notify_closing,
            },
            prefix=f"s{search.pk}",
            **kwargs,
        )


class SubscribeForm(SwitchesForm):
    """ "Save this search": an address for those not logged in with a verified one."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_(
            "We send one e-mail to confirm it is yours; nothing else comes before you confirm."
        ),
    )

    field_order = ["email", "name", "notify_new", "notify_changes", "notify_closing"]

    def __init__(self, *args: Any, needs_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_email = needs_email
        if needs_email:
            self.fields["email"].required = True
        else:
            del self.fields["email"]


class TrackForm(forms.Form):
    """Which of the user's organisations adds the call to its pipeline."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


class MemberChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class TrackedForm(forms.Form):
    """A tracked call's details."""

    stage = forms.ChoiceField(label=_("Stage"), choices=PipelineStage.choices)
    responsible = MemberChoiceField(
        label=_("Responsible"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    amount_requested = forms.DecimalField(
        label=_("Amount requested"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    amount_won = forms.DecimalField(
        label=_("Amount won"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    shared_with_center = forms.BooleanField(
        label=_("Share this call and its outcome with the center"),
        required=False,
        help_text=_(
            "Off unless you turn it on. When on, the center's staff see that your organisation "
            "follows this call, its stage and the amounts (not your notes), and count a grant "
            "won in its impact report. You can turn it off at any time."
        ),
    )
    remind = forms.BooleanField(
        label=_("E-mail reminders 7 days and 1 day before the deadline"), required=False
    )

    def __init__(self, *args: Any, tracked: TrackedOpportunity, members: Any, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "stage": tracked.stage,
                "responsible": tracked.responsible_id,
                "notes": tracked.notes,
                "amount_requested": tracked.amount_requested,
                "amount_won": tracked.amount_won,
                "shared_with_center": tracked.shared_with_center,
                "remind": tracked.remind,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members

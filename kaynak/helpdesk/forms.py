"""Forms of the support desk's public pages: the request form and the satisfaction answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kaynak.core.db import turkish_order
from kaynak.core.models import Province
from kaynak.directory.forms import NormalizedField
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.helpdesk import attachments as files
from kaynak.helpdesk.models import Category, Queue
from kaynak.helpdesk.services import Requester, Upload

# The consent the form asks for. Change the version whenever the text changes: the directory's
# ConsentRecord keeps the version, so it proves what each person agreed to.
CONSENT_TEXT_VERSION = "helpdesk-request-2026-1"
CONSENT_TEXT = _(
    "I agree that the center processes my name, contact details and question to answer my "
    "request and report on its work, as the privacy notice (KVKK) says."
)
CONSENT_SOURCE = "helpdesk.request"


def public_queues() -> QuerySet[Queue]:
    """The queues a visitor may write to, in their order."""
    return Queue.objects.filter(is_active=True).order_by("position", "pk")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked for size here, for type by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items]
        limit = files.max_bytes()
        too_big = [item.name for item in cleaned if item is not None and item.size > limit]
        if too_big:
            raise ValidationError(
                _("%(names)s: a file may be at most %(limit)s.")
                % {"names": ", ".join(str(n) for n in too_big), "limit": filesizeformat(limit)}
            )
        return [item for item in cleaned if item is not None]


class CategoryChoiceField(forms.ModelChoiceField[Category]):
    """A category; with more than one queue on the form, labelled with its queue."""

    with_queue = False

    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.queue.label} · {obj.label}" if self.with_queue else obj.label


class RequestForm(forms.Form):
    """A question to the support desk from a visitor or a member."""

    queue = forms.ModelChoiceField(
        label=_("Who should answer"), queryset=Queue.objects.none(), empty_label=None
    )
    category = CategoryChoiceField(
        label=_("Topic"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Not sure / other"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(
        label=_("Your question"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = NormalizedField(
        normalize=normalize_email,
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Our answer goes here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = NormalizedField(
        normalize=normalize_phone,
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    organisation_name = forms.CharField(
        label=_("Organisation's name"),
        max_length=300,
        required=False,
        help_text=_("The organisation you ask for. Leave it empty if you ask on your own."),
    )
    organisation_province = forms.ModelChoiceField(
        label=_("Organisation's province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Choose…"),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Documents or images, up to 10 MB each."),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Please agree, or we cannot answer you: we need your data for it.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queues = public_queues()
        queue_field = self.fields["queue"]
        assert isinstance(queue_field, forms.ModelChoiceField)
        queue_field.queryset = queues
        self.single_queue: Queue | None = None
        if len(queues) == 1:
            # One queue: nothing to choose, the field is not shown.
            self.single_queue = queues[0]
            queue_field.required = False
            queue_field.widget = forms.HiddenInput()
        category_field = self.fields["category"]
        assert isinstance(category_field, CategoryChoiceField)
        category_field.queryset = Category.objects.filter(queue__in=queues).select_related("queue")
        category_field.with_queue = len(queues) > 1
        province_field = self.fields["organisation_province"]
        assert isinstance(province_field, forms.ModelChoiceField)
        province_field.queryset = Province.objects.order_by(turkish_order("name"))

    def clean_full_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("full_name") or "").split())
        if not name:
            raise ValidationError(_("Enter your full name."))
        return name

    def clean_subject(self) -> str:
        subject = " ".join(str(self.cleaned_data.get("subject") or "").split())
        if not subject:
            raise ValidationError(_("Write a subject."))
        return subject

    def clean_body(self) -> str:
        body = str(self.cleaned_data.get("body") or "").strip()
        if not body:
            raise ValidationError(_("Write your question."))
        return body

    def clean_organisation_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("organisation_name") or "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.single_queue is not None:
            data["queue"] = self.single_queue
        queue: Queue | None = data.get("queue")
        category: Category | None = data.get("category")
        if queue is not None and category is not None and category.queue_id != queue.pk:
            self.add_error("category", _("Choose a topic of %(queue)s.") % {"queue": queue.label})
        if data.get("organisation_name") and not data.get("organisation_province"):
            self.add_error(
                "organisation_province",
                _(
                    "Choose the organisation's province: it tells apart organisations with "
                    "the same name."
                ),
            )
        return data

    def requester(self) -> Requester:
        data = self.cleaned_data
        return Requester(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            organisation_name=data["organisation_name"],
            province=data["organisation_province"],
        )

    def uploads(self) -> list[Upload]:
        return [Upload(name=f.name or "", data=f.read()) for f in self.cleaned_data["attachments"]]


class SatisfactionForm(forms.Form):
    """One click per score, and an optional comment."""

    score = forms.TypedChoiceField(
        label=_("How did we do?"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

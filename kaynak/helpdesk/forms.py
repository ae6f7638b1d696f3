"""Forms of the support desk: the public request form and satisfaction answer, and the agents'
forms (inbox filters, reply, note, assignment, merge, a request logged from a call)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import User
from kaynak.core.db import turkish_order
from kaynak.core.models import Province
from kaynak.directory.forms import NormalizedField
from kaynak.directory.models import Organisation
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.helpdesk import attachments as files
from kaynak.helpdesk import queries
from kaynak.helpdesk.models import (
    CannedReply,
    Category,
    Channel,
    Priority,
    Queue,
    Request,
    RequestStatus,
)
from kaynak.helpdesk.queries import SlaState
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
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Another organisation, or on my own"),
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

    def __init__(
        self, *args: Any, organisations: Sequence[Organisation] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # A member's organisations (from the directory): a select of them, the first chosen.
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        self.member_organisations = list(organisations)
        if self.member_organisations:
            organisation_field.queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in self.member_organisations]
            )
            organisation_field.choices = [
                ("", organisation_field.empty_label or ""),
                *[(o.pk, o.name) for o in self.member_organisations],
            ]
            self.fields["organisation_name"].help_text = _(
                "Only if you ask for an organisation not chosen above."
            )
        else:
            del self.fields["organisation"]
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
        if data.get("organisation") is not None:
            data["organisation_name"] = ""  # the chosen one wins over a typed name
        elif data.get("organisation_name") and not data.get("organisation_province"):
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
            organisation=data.get("organisation"),
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


# -- the agents' forms ---------------------------------------------------------------------------


class AgentChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class AgentsChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


SLA_CHOICES = [
    ("", _("Any")),
    (SlaState.BREACHED, _("Breached")),
    (SlaState.WARNED, _("Due soon")),
    (SlaState.OK, _("On time")),
]
SORT_CHOICES = [("due", _("Most urgent first")), ("received", _("Newest first"))]


class InboxFilterForm(forms.Form):
    """The inbox's filters (GET, so a filtered inbox can be bookmarked)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Subject, code, requester's name or e-mail"),
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All")
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("All")), *Priority.choices]
    )
    sla = forms.ChoiceField(label=_("SLA"), required=False, choices=SLA_CHOICES)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queues = queries.queues_for(user)
        queue_field = self.fields["queue"]
        assert isinstance(queue_field, forms.ModelChoiceField)
        queue_field.queryset = queues
        category_field = self.fields["category"]
        assert isinstance(category_field, CategoryChoiceField)
        category_field.queryset = Category.objects.filter(queue__in=queues).select_related("queue")
        category_field.with_queue = True
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [
            ("", _("Not closed")),
            *RequestStatus.choices,
            ("spam", _("Spam")),
            ("all", _("All")),
        ]
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.ChoiceField)
        assignee_field.choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("nobody", _("Nobody")),
            *[
                (str(agent.pk), agent.full_name or agent.email)
                for agent in queries.agents_of_queues(queues)
            ],
        ]

    def filters(self) -> queries.InboxFilters:
        """The filters typed; a bad value (a queue not the agent's) drops only itself."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return queries.InboxFilters(
            queue=data.get("queue"),
            status=data.get("status") or "",
            assignee=data.get("assignee") or "",
            category=data.get("category"),
            priority=data.get("priority") or "",
            sla=data.get("sla") or "",
            q=str(data.get("q") or "").strip(),
            channel=data.get("channel") or "",
            sort=data.get("sort") or "due",
        )


class ReplyForm(forms.Form):
    """An agent's answer: typed, or a canned reply (the service fills it in), or both."""

    prefix = "reply"

    canned = forms.ModelChoiceField(
        label=_("Canned reply"),
        queryset=CannedReply.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    body = forms.CharField(
        label=_("Answer"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "id": "reply-body"}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, support_request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        canned_field = self.fields["canned"]
        assert isinstance(canned_field, forms.ModelChoiceField)
        canned_field.queryset = queries.canned_replies_for(support_request.queue)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not str(data.get("body") or "").strip() and data.get("canned") is None:
            self.add_error("body", _("Write an answer or choose a canned reply."))
        return data

    def uploads(self) -> list[Upload]:
        return [Upload(name=f.name or "", data=f.read()) for f in self.cleaned_data["attachments"]]


class NoteForm(forms.Form):
    """An internal note; the colleagues chosen are told by mail."""

    prefix = "note"

    body = forms.CharField(
        label=_("Internal note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    mentions = AgentsChoiceField(
        label=_("Tell colleagues"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, support_request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mentions_field = self.fields["mentions"]
        assert isinstance(mentions_field, forms.ModelMultipleChoiceField)
        mentions_field.queryset = queries.agents_of(support_request.queue)

    def uploads(self) -> list[Upload]:
        return [Upload(name=f.name or "", data=f.read()) for f in self.cleaned_data["attachments"]]


class AssignForm(forms.Form):
    prefix = "assign"
    assignee = AgentChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, support_request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queries.agents_of(support_request.queue)


class PriorityForm(forms.Form):
    prefix = "priority"
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)

    def __init__(self, *args: Any, support_request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class CategoryForm(forms.Form):
    prefix = "category"
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, support_request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.filter(queue=support_request.queue)


class MergeForm(forms.Form):
    """Merge into another request, by its code; the page asks to confirm with its subject."""

    prefix = "merge"

    target = forms.CharField(
        label=_("Merge into the request with the code"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "DN-7KQ4MX"}),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, support_request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


STAFF_CONSENT_SOURCE = "helpdesk.staff"
STAFF_CONSENT_VERSION = "helpdesk-staff-oral-2026-1"


class StaffRequestForm(forms.Form):
    """A request an agent logs from a phone call or a visit."""

    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), empty_label=None
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label="—"
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.PHONE, Channel.PHONE.label),
            (Channel.IN_PERSON, Channel.IN_PERSON.label),
        ],
        widget=forms.RadioSelect,
        initial=Channel.PHONE,
    )
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(
        label=_("Question"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    full_name = forms.CharField(label=_("Requester's full name"), max_length=200)
    email = NormalizedField(
        normalize=normalize_email,
        label=_("Requester's e-mail (optional)"),
        max_length=254,
        required=False,
        help_text=_("Without it the answer cannot be mailed."),
    )
    phone = NormalizedField(
        normalize=normalize_phone,
        label=_("Requester's phone (optional)"),
        max_length=40,
        required=False,
    )
    organisation_name = forms.CharField(
        label=_("Organisation's name"),
        max_length=300,
        required=False,
        help_text=_("Found in the directory when it is there; never made twice."),
    )
    organisation_province = forms.ModelChoiceField(
        label=_("Organisation's province"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Choose…"),
    )
    language = forms.ChoiceField(
        label=_("Language of the answer"), choices=[("tr", "Türkçe"), ("en", "English")]
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    consent = forms.BooleanField(
        label=_("The requester agreed (orally) that the center processes their data to answer."),
        error_messages={
            "required": _("Ask the requester for their consent first: without it we keep no data.")
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queues = queries.queues_for(user).filter(is_active=True)
        queue_field = self.fields["queue"]
        assert isinstance(queue_field, forms.ModelChoiceField)
        queue_field.queryset = queues
        category_field = self.fields["category"]
        assert isinstance(category_field, CategoryChoiceField)
        category_field.queryset = Category.objects.filter(queue__in=queues).select_related("queue")
        category_field.with_queue = True
        province_field = self.fields["organisation_province"]
        assert isinstance(province_field, forms.ModelChoiceField)
        province_field.queryset = Province.objects.order_by(turkish_order("name"))

    def clean_subject(self) -> str:
        subject = " ".join(str(self.cleaned_data.get("subject") or "").split())
        if not subject:
            raise ValidationError(_("Write a subject."))
        return subject

    def clean_full_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("full_name") or "").split())
        if not name:
            raise ValidationError(_("Enter the requester's full name."))
        return name

    def clean_organisation_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("organisation_name") or "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        queue: Queue | None = data.get("queue")
        category: Category | None = data.get("category")
        if queue is not None and category is not None and category.queue_id != queue.pk:
            self.add_error(
                "category", _("Choose a category of %(queue)s.") % {"queue": queue.label}
            )
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

"""Feedback pages: the survey by signed link, and the staff results per activity and per
trainer."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.programmes import feedback, links
from kaynak.programmes.models import Activity, Trainer

SCALE_CHOICES = [(value, str(value)) for value in feedback.SCALE]


def _rating(label: StrOrPromise, help_text: StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a rating from 1 to 5.")},
    )


QUALITY = gettext_lazy("1 = poor, 5 = excellent")
KNOWLEDGE = gettext_lazy("1 = nothing, 5 = a lot")


class SurveyForm(forms.Form):
    content = _rating(gettext_lazy("How useful was the content?"), QUALITY)
    trainer = _rating(gettext_lazy("How good were the trainers?"), QUALITY)
    organisation = _rating(
        gettext_lazy("How well was it organised (venue, timing, communication)?"), QUALITY
    )
    knowledge_before = _rating(
        gettext_lazy("How much did you know about the topic before the activity?"), KNOWLEDGE
    )
    knowledge_after = _rating(gettext_lazy("And how much do you know now?"), KNOWLEDGE)
    comment = forms.CharField(
        label=gettext_lazy("Anything else you would like to tell us?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey, by the signed link in the invitation."""
    registration = links.registration_from_token(token)
    if registration is None:
        return render(request, "programmes/feedback/unknown.html", status=404)
    context = {"registration": registration, "activity": registration.activity}
    problem = feedback.survey_problem(registration)
    if problem:
        return render(request, "programmes/feedback/closed.html", {**context, "problem": problem})
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback.submit_feedback(registration=registration, **form.cleaned_data)
        except KaynakError as exc:
            form.add_error(None, str(exc.message))
        else:
            return render(request, "programmes/feedback/thanks.html", context)
    return render(request, "programmes/feedback/survey.html", {**context, "form": form})


RATING_LABELS = {
    "content": gettext_lazy("Content"),
    "trainer": gettext_lazy("Trainers"),
    "organisation": gettext_lazy("Organising"),
    "knowledge_before": gettext_lazy("Knowledge before"),
    "knowledge_after": gettext_lazy("Knowledge after"),
}


def rating_rows(summary: feedback.FeedbackSummary) -> list[tuple[str, str, feedback.Rating]]:
    """(field, its label, its results) for each question, in the survey's order."""
    return [(name, str(RATING_LABELS[name]), rating) for name, rating in summary.ratings.items()]


@permission_required("programmes.view_feedback")
def activity_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("programme"), pk=pk)
    summary = feedback.feedback_summary(activities=[activity])
    context = {
        "activity": activity,
        "summary": summary,
        "rows": rating_rows(summary),
        "trainers": list(activity.trainers.all()),
    }
    return render(request, "programmes/feedback/results.html", context)


@permission_required("programmes.view_feedback")
def trainer_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trainer = get_object_or_404(Trainer, pk=pk)
    summary = feedback.feedback_summary(activities=trainer.activities.all())
    context = {
        "trainer": trainer,
        "summary": summary,
        "rows": rating_rows(summary),
        "per_activity": feedback.trainer_activity_results(trainer),
    }
    return render(request, "programmes/feedback/trainer.html", context)

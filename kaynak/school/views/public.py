"""The participant's own page ("my school"), their certificate's PDF, and the public check of
a graduation certificate (the name on it, the cohort, valid or revoked — nothing more)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaynak.school import certificates, queries
from kaynak.school.progress import participant_progress
from kaynak.school.views.staff import _pdf


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = [
        {"row": participant_progress(participant)}
        for participant in queries.participations_of_user(request.user)
    ]
    return render(request, "school/mine.html", {"participations": rows})


@login_required
def my_certificate(request: HttpRequest, code: str) -> HttpResponse:
    return _pdf(queries.graduation_of_user(request.user, code))


def verify(request: HttpRequest, code: str) -> HttpResponse:
    graduation = certificates.graduation_by_code(code)
    return render(
        request,
        "school/verify.html",
        {"graduation": graduation, "code": code},
        status=200 if graduation else 404,
    )

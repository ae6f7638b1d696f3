"""The support desk's reports for staff."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

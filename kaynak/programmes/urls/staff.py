"""URLs: staff pages of trainings and events."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

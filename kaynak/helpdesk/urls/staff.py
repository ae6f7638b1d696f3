"""The support desk's staff pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

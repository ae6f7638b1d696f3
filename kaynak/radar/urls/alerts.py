"""The radar's alerts pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

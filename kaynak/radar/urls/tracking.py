"""The radar's tracking pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The support desk's public pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

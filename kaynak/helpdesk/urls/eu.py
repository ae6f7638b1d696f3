"""The EU Support Unit's pages: the projects registry (staff) and the public list of supported
projects."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""The impact pages: indicators and targets, the dashboard, the donor report."""

from django.urls import URLPattern

app_name = "impact"
urlpatterns: list[URLPattern] = []

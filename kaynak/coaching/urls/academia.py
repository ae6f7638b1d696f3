"""The NGO–academia programme's URLs (/akademi/, English /en/academia/)."""

from django.urls import URLPattern

app_name = "academia"
urlpatterns: list[URLPattern] = []

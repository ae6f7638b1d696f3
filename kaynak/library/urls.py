"""The library's pages (mounted at _("library/"): /kutuphane/, /en/library/).

Names other apps link to: ``library:list`` (takes ``q``, ``kind``, ``category``, ``theme``,
``tag``, ``language``) and ``library:resource`` (a published resource, by slug).
"""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from kaynak.library import feeds, views

app_name = "library"

urlpatterns: list[URLPattern] = [
    path("", views.listing, name="list"),
    path(_("category/<slug:slug>/"), views.category, name="category"),
    path(_("resource/<slug:slug>/"), views.detail, name="resource"),
    path(_("resource/<slug:slug>/file.pdf"), views.download, name="download"),
    path(_("resource/<slug:slug>/helpful/"), views.helpful, name="helpful"),
    path(_("news/"), views.news_list, name="news"),
    path(_("news/rss/"), feeds.NewsFeed(), name="news-rss"),
    path(_("news/<slug:slug>/"), views.news_detail, name="news-post"),
]

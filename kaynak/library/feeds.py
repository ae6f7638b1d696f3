"""RSS of the center's news posts, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kaynak.core.models import CenterSettings
from kaynak.library import queries
from kaynak.library.models import NewsPost

RSS_ITEMS = 30


class NewsFeed(Feed[NewsPost, None]):
    def title(self) -> str:
        return _("%(center)s: news") % {"center": CenterSettings.current().name}

    def link(self) -> str:
        return reverse("library:news")

    def description(self) -> str:
        return _("News of the resource center.")

    def items(self) -> Iterable[NewsPost]:
        return queries.published_news()[:RSS_ITEMS]

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return item.summary or Truncator(strip_tags(item.body)).words(80)

    def item_link(self, item: NewsPost) -> str:
        return reverse("library:news-post", args=[item.slug])

    def item_guid(self, item: NewsPost) -> str:
        return settings.SITE_URL + reverse("library:news-post", args=[item.slug])

    def item_pubdate(self, item: NewsPost) -> dt.datetime | None:
        return item.published_at

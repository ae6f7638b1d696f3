"""Writing the library: resources and news posts (through the admin), and the anonymous
"was this helpful?" counters.

``resource_save`` is the one way a resource is written: it checks what its kind needs
(``resource_problems``, also used by the admin form to explain each field), cleans the HTML,
reads the PDF's text, parses the video address and computes the search keys.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.text import search_key
from kaynak.library.content import (
    DocumentError,
    VideoAddressError,
    clean_body,
    html_to_text,
    parse_video_url,
    pdf_text,
)
from kaynak.library.models import NewsPost, PublicationStatus, Resource, ResourceKind

MAX_PDF_BYTES = 30 * 1024 * 1024


class ResourceInvalid(KaynakError):
    """What a resource lacks or has wrong, per field (``problems``: field name → message)."""

    code = "resource_invalid"

    def __init__(self, problems: dict[str, str | Promise]) -> None:
        super().__init__(_("The resource could not be saved; see the fields."))
        self.problems = problems


def make_slug(title: str) -> str:
    """An ASCII slug from a Turkish title ("Dernek Kuruluşu" → "dernek-kurulusu")."""
    return slugify(search_key(title))[:120]


def _is_new_upload(resource: Resource) -> bool:
    return bool(resource.file) and not getattr(resource.file, "_committed", True)


def resource_problems(resource: Resource) -> dict[str, str | Promise]:
    """What keeps ``resource`` from being saved as it is, per field; empty when it may be."""
    problems: dict[str, str | Promise] = {}
    kind = resource.kind
    if kind == ResourceKind.ARTICLE and not resource.body.strip():
        problems["body"] = _("An article needs its text.")
    if kind == ResourceKind.DOCUMENT and not resource.file:
        problems["file"] = _("Upload the PDF of this document.")
    if kind == ResourceKind.PUBLICATION and not (resource.file or resource.link_url):
        problems["file"] = _("Upload the PDF of this publication or give its web address.")
    if resource.link_url and kind != ResourceKind.PUBLICATION:
        problems["link_url"] = _("Only publications have a web address of their own.")
    if resource.file and kind not in {ResourceKind.DOCUMENT, ResourceKind.PUBLICATION}:
        problems["file"] = _("Only documents and publications have a PDF file.")
    if _is_new_upload(resource):
        if resource.file.size > MAX_PDF_BYTES:
            problems["file"] = _("The PDF is larger than 30 MB.")
        elif not (resource.file.name or "").lower().endswith(".pdf"):
            problems["file"] = _("Upload a PDF file.")
    if kind == ResourceKind.VIDEO and not resource.video_url:
        problems["video_url"] = _("A video needs its YouTube or Vimeo address.")
    if resource.video_url:
        try:
            parse_video_url(resource.video_url)
        except VideoAddressError as error:
            problems["video_url"] = error.message
    if kind == ResourceKind.RECORDING and not resource.video_url:
        session = resource.recording_session
        if session is None or not session.recording_url:
            problems["recording_session"] = _(
                "Choose a session that has a recording, or give the video's address."
            )
    if resource.slug and (
        Resource.objects.filter(slug=resource.slug).exclude(pk=resource.pk).exists()
    ):
        problems["slug"] = _("Another resource already has this address.")
    return problems


def _read_upload(resource: Resource) -> str:
    resource.file.open("rb")
    try:
        data = resource.file.read()
    finally:
        resource.file.seek(0)
    try:
        return pdf_text(data)
    except DocumentError as error:
        raise ResourceInvalid({"file": error.message}) from error


@transaction.atomic
def resource_save(*, resource: Resource, actor: Any, themes: Any = None) -> Resource:
    """Check, derive and save ``resource`` (new or changed); ``themes`` (if given) replace
    its themes. ``ResourceInvalid`` (with every problem) and nothing written otherwise."""
    if not resource.slug:
        resource.slug = make_slug(resource.title)
    problems = resource_problems(resource)
    if problems:
        raise ResourceInvalid(problems)
    created = resource.pk is None
    resource.body = clean_body(resource.body)
    resource.body_text = html_to_text(resource.body)
    if _is_new_upload(resource):
        resource.file_text = _read_upload(resource)
    elif not resource.file:
        resource.file_text = ""
    video_url = resource.video_url
    if not video_url and resource.recording_session is not None:
        video_url = resource.recording_session.recording_url
    try:
        video = parse_video_url(video_url) if video_url else None
    except VideoAddressError:
        # A recording on another platform is linked to, not embedded.
        video = None
    resource.video_provider = video.provider if video else ""
    resource.video_id = video.video_id if video else ""
    resource.title_key = search_key(resource.title)[:250]
    resource.search_text = search_key(
        " ".join([resource.title, resource.summary, resource.body_text, resource.file_text])
    )
    if resource.status == PublicationStatus.PUBLISHED and resource.published_at is None:
        resource.published_at = timezone.now()
    resource.save()
    if themes is not None:
        resource.themes.set(themes)
    log_action(
        f"kaynak.library.resource.{'created' if created else 'changed'}",
        actor=actor,
        target=resource,
        data={"kind": resource.kind, "status": resource.status},
    )
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, actor: Any) -> None:
    """Delete ``resource``; its PDF file goes once the deletion is committed."""
    if resource.file:
        name, storage = str(resource.file.name), resource.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    log_action(
        "kaynak.library.resource.deleted",
        actor=actor,
        data={"title": resource.title, "slug": resource.slug},
    )
    resource.delete()


@transaction.atomic
def news_save(*, post: NewsPost, actor: Any) -> NewsPost:
    """Clean and save a news post (new or changed); publishing dates it if undated."""
    if not post.slug:
        post.slug = make_slug(post.title)
    if post.slug == "rss":  # the address of the news feed
        raise ResourceInvalid({"slug": _("This address is taken by the news feed.")})
    if NewsPost.objects.filter(slug=post.slug).exclude(pk=post.pk).exists():
        raise ResourceInvalid({"slug": _("Another news post already has this address.")})
    created = post.pk is None
    post.body = clean_body(post.body)
    if post.status == PublicationStatus.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    post.save()
    log_action(
        f"kaynak.library.news.{'created' if created else 'changed'}",
        actor=actor,
        target=post,
        data={"status": post.status},
    )
    return post


def helpful_vote(*, resource: Resource, helpful: bool) -> None:
    """Count one anonymous answer to "was this helpful?" (a conditional update, so concurrent
    votes are never lost). Not audited: it has no actor and says nothing about anyone; the
    view allows one vote per browser session."""
    field = "helpful_yes" if helpful else "helpful_no"
    Resource.objects.filter(pk=resource.pk, status=PublicationStatus.PUBLISHED).update(
        **{field: F(field) + 1}
    )

"""The desk's models: the seeded queues, canned replies, tokens and the file storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kaynak.helpdesk import tokens
from kaynak.helpdesk.models import Attachment, CannedReply, Category, Queue, QueueKind
from kaynak.ledger.models import ServiceKind


@pytest.mark.django_db
def test_the_two_queues_and_their_categories_are_seeded_with_ledger_kinds() -> None:
    support = Queue.objects.get(slug="destek-noktasi")
    eu = Queue.objects.get(slug="ab-destek-birimi")
    assert (support.name_tr, support.kind, support.token_prefix) == (
        "Destek Noktası",
        QueueKind.SUPPORT,
        "DN",
    )
    assert (eu.name_tr, eu.kind, eu.token_prefix) == (
        "AB Destek Birimi",
        QueueKind.EU_SUPPORT,
        "AB",
    )
    assert support.is_default
    assert not eu.is_default
    assert set(support.categories.values_list("slug", flat=True)) == {
        "legal",
        "finance-tax",
        "fundraising",
        "project-management",
        "eu-grant-rules",
        "digital",
        "communication",
        "other",
    }
    assert eu.categories.filter(slug="eu-grant-rules").exists()
    legal = Category.objects.get(queue=support, slug="legal")
    assert set(legal.themes.values_list("slug", flat=True)) == {"civil-society", "human-rights"}
    for kind in QueueKind.values:
        assert ServiceKind.objects.filter(slug=kind).exists()


def test_canned_replies_fill_known_variables_only_and_fall_back_to_turkish() -> None:
    canned = CannedReply(
        title="Karşılama",
        body_tr="Merhaba {requester_name}, {token} ({organisation}) {agent_name.__class__} {}",
        body_en="",
    )
    text = canned.render(
        "en",
        {"requester_name": "Ayşe", "token": "DN-2K7F9Q", "organisation": "Umut Derneği"},
    )
    assert text == "Merhaba Ayşe, DN-2K7F9Q (Umut Derneği) {agent_name.__class__} {}"


def test_request_codes_are_readable_and_found_in_subjects() -> None:
    code = tokens.new_token("dn")
    assert code.startswith("DN-")
    assert not set(code[3:]) & set("01ILO")
    assert tokens.find_token(f"Re: Fwd: [#{code.lower()}] Soru") == code
    assert tokens.find_token("Re: Soru") is None
    assert tokens.subject_with_token(code, f"[#{code}] Soru") == f"[#{code}] Soru"


def test_satisfaction_tokens_are_signed() -> None:
    value = tokens.satisfaction_token(42, "DN-2K7F9Q")
    assert tokens.read_satisfaction_token(value) == (42, "DN-2K7F9Q")
    assert tokens.read_satisfaction_token(value[:-2] + "xx") is None


def test_attachments_are_stored_outside_the_web_root_with_no_url(
    settings: Any, tmp_path: Path
) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "kasa"
    storage = Attachment._meta.get_field("file").storage
    assert storage.path("ab/abcdef") == str(tmp_path / "kasa" / "ab" / "abcdef")
    assert not storage.path("x").startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="no public URL"):
        storage.url("ab/abcdef")

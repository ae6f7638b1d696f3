"""The support desk's API: public queues; requests for the agents of their queue only (404
elsewhere, no e-mail addresses in the list), the filters, notes and answers that change the
request through the services, and errors in the house format and the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from kaynak.helpdesk.models import Direction, InternalNote, RequestStatus
from kaynak.helpdesk.tests.factories import (
    CannedReplyFactory,
    MessageFactory,
    RequestFactory,
    agent,
    eu_queue,
    support_queue,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/support"


def bearer(user: User) -> dict[str, str]:
    _token, raw = api_token_for(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture(autouse=True)
def _files(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path  # type: ignore[attr-defined]


def test_the_queues_and_their_categories_are_public(client: Client) -> None:
    queue = eu_queue()
    queue.is_active = False
    queue.save()
    queues = client.get(f"{API}/queues", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [q["slug"] for q in queues] == [support_queue().slug]
    assert queues[0]["name"] == "Support Desk"
    assert {"slug": "legal", "name": "Legal"} in queues[0]["categories"]


def test_requests_need_a_login_or_a_token(client: Client) -> None:
    response = client.get(f"{API}/requests")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_staff_who_are_not_agents_and_members_are_refused(client: Client) -> None:
    officer = StaffFactory.create(roles=[Role.ME_OFFICER])
    response = client.get(f"{API}/requests", headers=bearer(officer))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    client.force_login(UserFactory.create())  # members have no tokens: their session
    assert client.get(f"{API}/requests").status_code == 403


def test_an_agent_sees_only_the_requests_of_their_queues_without_addresses(
    client: Client,
) -> None:
    mine = RequestFactory.create(subject="Tüzük değişikliği")
    RequestFactory.create(queue=eu_queue(), category=None)
    RequestFactory.create(is_spam=True)
    listed = client.get(f"{API}/requests", headers=bearer(agent())).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["code"] == mine.token
    organisation = mine.organisation
    assert organisation is not None
    assert item["organisation"] == {"id": organisation.pk, "name": organisation.name}
    assert item["requester_name"] == mine.requester_name
    assert "requester_email" not in item
    assert item["first_response_breached"] is False


def test_a_request_of_another_queue_is_not_found(client: Client) -> None:
    other = RequestFactory.create(queue=eu_queue(), category=None)
    response = client.get(f"{API}/requests/{other.token}", headers=bearer(agent()))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    posted = client.post(
        f"{API}/requests/{other.token}/notes",
        {"body": "Bakalım"},
        content_type="application/json",
        headers=bearer(agent()),
    )
    assert posted.status_code == 404
    assert not InternalNote.objects.exists()


def test_a_center_admin_sees_every_queue(client: Client) -> None:
    RequestFactory.create()
    RequestFactory.create(queue=eu_queue(), category=None)
    admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])
    assert client.get(f"{API}/requests", headers=bearer(admin)).json()["count"] == 2


def test_the_filters_narrow_the_list(client: Client) -> None:
    me = agent()
    headers = bearer(me)
    mine = RequestFactory.create(assignee=me, subject="Genel kurul çağrısı")
    waiting = RequestFactory.create(status=RequestStatus.WAITING, subject="Bağış makbuzu")
    eu = RequestFactory.create(queue=eu_queue(), category=None)
    eu_queue().agents.add(me)

    def codes(**params: str) -> set[str]:
        found = client.get(f"{API}/requests", params, headers=headers).json()["items"]
        return {item["code"] for item in found}

    assert codes(assignee="me") == {mine.token}
    assert codes(status="waiting") == {waiting.token}
    assert codes(queue=eu_queue().slug) == {eu.token}
    assert codes(q="makbuz") == {waiting.token}
    assert codes(q="GENEL KURUL CAGRISI") == {mine.token}  # Turkish-folded, as in the inbox
    assert codes(q=mine.token.lower()) == {mine.token}
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert codes(updated_since=future) == set()
    assert codes() == {mine.token, waiting.token, eu.token}


def test_an_unknown_status_is_explained_in_the_users_language(client: Client) -> None:
    response = client.get(
        f"{API}/requests", {"status": "lost"}, headers=bearer(agent()), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "bad_request", "message": "Unknown status lost."}


def test_the_detail_has_messages_without_quotes_notes_and_the_address(client: Client) -> None:
    request = RequestFactory.create()
    MessageFactory.create(
        request=request, body="Sorum şu.", quoted="> eski yazışma", html_sanitised="<p>x</p>"
    )
    InternalNote.objects.create(request=request, body="Mali müşavire soralım.")
    detail = client.get(f"{API}/requests/{request.token}", headers=bearer(agent())).json()
    assert detail["requester_email"] == request.requester_email
    assert detail["messages"][0]["body"] == "Sorum şu."
    assert "quoted" not in detail["messages"][0]
    assert "html_sanitised" not in str(detail)
    assert [note["body"] for note in detail["notes"]] == ["Mali müşavire soralım."]


def test_a_note_through_the_api_is_written_by_the_service(client: Client) -> None:
    me = agent(full_name="Ayla Ak")
    colleague = agent()
    request = RequestFactory.create()
    response = client.post(
        f"{API}/requests/{request.token}/notes",
        {"body": "Yarın ararım.", "mentions": [colleague.pk]},
        content_type="application/json",
        headers=bearer(me),
    )
    assert response.status_code == 201
    assert response.json()["notes"][0] == {
        "author": "Ayla Ak",
        "body": "Yarın ararım.",
        "created_at": response.json()["notes"][0]["created_at"],
        "attachments": [],
    }
    assert list(InternalNote.objects.get().mentions.all()) == [colleague]


def test_a_reply_that_resolves_changes_the_request(client: Client) -> None:
    request = RequestFactory.create()
    MessageFactory.create(request=request)
    response = client.post(
        f"{API}/requests/{request.token}/replies",
        {"body": "Tüzüğünüzün 5. maddesini değiştirmeniz yeterli.", "resolve": True},
        content_type="application/json",
        headers=bearer(agent()),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "resolved"
    assert body["first_response_at"] is not None
    assert body["messages"][-1]["direction"] == Direction.OUT
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED


def test_a_reply_that_waits_and_a_canned_one(client: Client) -> None:
    request = RequestFactory.create(requester_name="Deniz Kaya")
    canned = CannedReplyFactory.create()
    response = client.post(
        f"{API}/requests/{request.token}/replies",
        {"canned": canned.pk, "wait": True},
        content_type="application/json",
        headers=bearer(agent()),
    )
    assert response.status_code == 201
    assert response.json()["status"] == "waiting"
    assert "Deniz Kaya" in response.json()["messages"][-1]["body"]


def test_an_empty_answer_is_refused_in_the_error_format(client: Client) -> None:
    request = RequestFactory.create()
    response = client.post(
        f"{API}/requests/{request.token}/replies",
        {"body": "  "},
        content_type="application/json",
        headers=bearer(agent()),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "empty", "message": "Write an answer."}
    request.refresh_from_db()
    assert request.first_response_at is None


def test_the_openapi_schema_lists_the_support_endpoints(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/support/requests" in paths
    assert "/api/v1/support/requests/{code}/replies" in paths


def test_the_list_reads_the_same_number_of_queries_for_more_requests(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    headers = bearer(agent())
    RequestFactory.create_batch(2, assignee=agent())
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/requests", headers=headers)
    RequestFactory.create_batch(10, assignee=agent())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{API}/requests", headers=headers).json()["count"] == 12

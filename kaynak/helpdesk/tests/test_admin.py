"""The support desk's set-up in the admin: queues with their categories, SLA targets and
business hours (checked before saving), canned replies with their variables checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.helpdesk.models import CannedReply, Queue
from kaynak.helpdesk.tests.factories import support_queue

pytestmark = pytest.mark.django_db


def logged_in(*roles: str) -> Client:
    client = Client()
    client.force_login(StaffFactory.create(roles=list(roles)))
    return client


def queue_form(queue: Queue, **changes: Any) -> dict[str, Any]:
    data = {
        "name_tr": queue.name_tr,
        "name_en": queue.name_en,
        "slug": queue.slug,
        "kind": queue.kind,
        "email": queue.email,
        "token_prefix": queue.token_prefix,
        "first_response_minutes": str(queue.first_response_minutes),
        "resolution_minutes": str(queue.resolution_minutes),
        "business_hours": "{}",
        "is_active": "on",
        "position": str(queue.position),
        "categories-TOTAL_FORMS": "0",
        "categories-INITIAL_FORMS": "0",
        "categories-MIN_NUM_FORMS": "0",
        "categories-MAX_NUM_FORMS": "1000",
    }
    if queue.is_default:
        data["is_default"] = "on"
    return data | changes


def change(client: Client, queue: Queue, **changes: Any) -> Any:
    # The seeded queue's categories are left as they are: the inline management form is sent
    # with the existing rows.
    data = queue_form(queue, **changes)
    categories = list(queue.categories.order_by("position", "pk"))
    data["categories-TOTAL_FORMS"] = data["categories-INITIAL_FORMS"] = str(len(categories))
    for index, category in enumerate(categories):
        data |= {
            f"categories-{index}-id": str(category.pk),
            f"categories-{index}-queue": str(queue.pk),
            f"categories-{index}-name_tr": category.name_tr,
            f"categories-{index}-name_en": category.name_en,
            f"categories-{index}-slug": category.slug,
            f"categories-{index}-position": str(category.position),
        }
    return client.post(reverse("admin:helpdesk_queue_change", args=[queue.pk]), data)


def test_a_center_admin_sets_a_queues_business_hours_and_targets() -> None:
    client = logged_in(Role.CENTER_ADMIN)
    queue = support_queue()
    hours = '{"hours": {"mon": ["09:00-12:30", "13:30-18:00"], "fri": ["09:00-16:00"]}}'

    response = change(client, queue, business_hours=hours, first_response_minutes="240")

    assert response.status_code == 302, response.content.decode()[:2000]
    queue.refresh_from_db()
    assert queue.first_response_minutes == 240
    assert queue.business_hours["hours"]["fri"] == ["09:00-16:00"]


def test_business_hours_that_cannot_be_read_are_refused_and_nothing_changes() -> None:
    client = logged_in(Role.CENTER_ADMIN)
    queue = support_queue()

    response = change(client, queue, business_hours='{"hours": {"mon": ["9 to 5"]}}')

    assert response.status_code == 200
    assertContains(response, "These business hours cannot be read")
    queue.refresh_from_db()
    assert queue.business_hours == {}


def test_a_request_code_prefix_is_two_to_four_latin_letters() -> None:
    client = logged_in(Role.CENTER_ADMIN)
    queue = support_queue()

    response = change(client, queue, token_prefix="DŞ")

    assertContains(response, "Use two to four Latin letters")
    queue.refresh_from_db()
    assert queue.token_prefix == "DN"


def test_only_center_admins_set_up_queues_and_agents_keep_the_canned_replies() -> None:
    agent = logged_in(Role.SUPPORT_AGENT)

    assert agent.get(reverse("admin:helpdesk_queue_changelist")).status_code == 403
    assert agent.get(reverse("admin:helpdesk_cannedreply_changelist")).status_code == 200


def test_a_canned_reply_with_an_unknown_variable_is_refused() -> None:
    agent = logged_in(Role.SUPPORT_AGENT)
    form = {"title": "Teşekkür", "queue": "", "is_active": "on", "body_en": ""}

    refused = agent.post(
        reverse("admin:helpdesk_cannedreply_add"),
        form | {"body_tr": "Sayın {requester_name}, {kurum} için teşekkürler."},
    )
    assertContains(refused, "Unknown variables: kurum.")
    assert not CannedReply.objects.exists()

    agent.post(
        reverse("admin:helpdesk_cannedreply_add"),
        form | {"body_tr": "Sayın {requester_name}, {organisation} için teşekkürler."},
    )
    assert CannedReply.objects.get().title == "Teşekkür"

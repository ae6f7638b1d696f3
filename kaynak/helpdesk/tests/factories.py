"""Factories for the support desk. The two queues and their categories come from the data
migration; ``support_queue()`` / ``eu_queue()`` fetch them. Add factories here; do not change
existing ones in ways that break other tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.helpdesk import tokens
from kaynak.helpdesk.models import (
    CannedReply,
    Category,
    Channel,
    Direction,
    Message,
    Queue,
    Request,
)


def support_queue() -> Queue:
    return Queue.objects.get(slug="destek-noktasi")


def eu_queue() -> Queue:
    return Queue.objects.get(slug="ab-destek-birimi")


def category(slug: str, queue: Queue | None = None) -> Category:
    return Category.objects.get(queue=queue or support_queue(), slug=slug)


def agent(queue: Queue | None = None, **kwargs: Any) -> User:
    """A support agent working in ``queue`` (the support desk unless told)."""
    user: User = StaffFactory.create(roles=[Role.SUPPORT_AGENT], **kwargs)
    (queue or support_queue()).agents.add(user)
    return user


class RequestFactory(DjangoModelFactory[Request]):
    """An open request in the support desk from a person of an organisation, with no
    messages (add them with MessageFactory) and no SLA dues (services compute those)."""

    class Meta:
        model = Request

    queue = LazyFunction(support_queue)
    category = LazyAttribute(lambda r: Category.objects.filter(queue=r.queue).first())
    token = LazyAttribute(lambda r: tokens.new_token(r.queue.token_prefix))
    subject = Sequence(lambda n: f"Dernek tüzüğü değişikliği hakkında soru {n}")
    channel = Channel.WEB
    requester = SubFactory(PersonFactory)
    organisation = SubFactory(OrganisationFactory)
    requester_name = LazyAttribute(lambda r: r.requester.full_name if r.requester else "")
    requester_email = LazyAttribute(lambda r: r.requester.emails[0] if r.requester else "")
    created_at = LazyFunction(timezone.now)


class MessageFactory(DjangoModelFactory[Message]):
    class Meta:
        model = Message

    request = SubFactory(RequestFactory)
    direction = Direction.IN
    body = "Genel kurul tarihini nasıl değiştirebiliriz?"
    via = Channel.EMAIL
    message_id = Sequence(lambda n: f"<soru-{n}@ornek.org.tr>")


class CannedReplyFactory(DjangoModelFactory[CannedReply]):
    class Meta:
        model = CannedReply

    title = Sequence(lambda n: f"Hazır yanıt {n}")
    body_tr = "Merhaba {requester_name}, {token} numaralı talebiniz için {agent_name} yazıyor."
    body_en = "Hello {requester_name}, {agent_name} writes about your request {token}."

"""Who may do what with the support desk: predicates behind ``kaynak.core.permissions.can``.

Support agents see and answer requests (of the queues they belong to, when the rule gets a
request or a queue); M&E officers read the reports; center admins may do everything. An
attachment is open to the agents of its request's queue and to the requester themselves.
"""

from __future__ import annotations

from typing import Any

import rules

from kaynak.accounts.models import Role
from kaynak.accounts.rules import has_role, is_center_admin

# has_role always admits center admins.
is_support_agent = has_role(Role.SUPPORT_AGENT)
can_view_reports = has_role(Role.SUPPORT_AGENT, Role.ME_OFFICER)


def _queue_of(obj: Any) -> Any:
    from kaynak.helpdesk.models import Attachment, Queue, Request

    if isinstance(obj, Queue):
        return obj
    if isinstance(obj, Request):
        return obj.queue
    if isinstance(obj, Attachment):
        return obj.request.queue
    return None


@rules.predicate
def is_agent_of_queue(user: Any, obj: Any = None) -> bool:
    """A support agent, of the object's queue when there is one (center admins: any)."""
    if not is_support_agent(user):
        return False
    queue = _queue_of(obj)
    if queue is None or is_center_admin(user):
        return True
    return bool(queue.agents.filter(pk=user.pk).exists())


@rules.predicate
def is_requester_of_attachment(user: Any, attachment: Any = None) -> bool:
    """The member whose request the attachment belongs to (their own person record); never
    an attachment of an internal note."""
    if attachment is None or not (user.is_authenticated and user.is_active):
        return False
    if attachment.message_id is None:
        return False
    request = attachment.request
    if request.requester is not None and request.requester.user_id == user.pk:
        return True
    return bool(request.requester_email and request.requester_email.lower() == user.email.lower())


rules.add_perm("helpdesk.view_requests", is_agent_of_queue)
rules.add_perm("helpdesk.answer_requests", is_agent_of_queue)
rules.add_perm("helpdesk.manage_queues", is_center_admin)
rules.add_perm("helpdesk.edit_canned_replies", is_support_agent)
rules.add_perm("helpdesk.view_reports", can_view_reports)
# The object is an Attachment.
rules.add_perm("helpdesk.view_attachment", is_agent_of_queue | is_requester_of_attachment)


# The EU Support Unit's project registry ---------------------------------------------------------


@rules.predicate
def is_eu_support_agent(user: Any) -> bool:
    """A support agent of a queue of the EU Support Unit (``eu-support`` kind), or a center
    admin."""
    if not is_support_agent(user):
        return False
    if is_center_admin(user):
        return True
    from kaynak.helpdesk.models import Queue, QueueKind

    return bool(Queue.objects.filter(kind=QueueKind.EU_SUPPORT, agents=user).exists())


rules.add_perm("helpdesk.view_projects", is_eu_support_agent)
rules.add_perm("helpdesk.manage_projects", is_eu_support_agent)

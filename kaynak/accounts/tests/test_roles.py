"""Staff roles: the services that give and take them, and what each role may do."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import role_grant, role_revoke, staff_invite, staff_roles_set
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.audit import history_for
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import can

pytestmark = pytest.mark.django_db

# Every rule in kaynak/accounts/rules.py and the roles that may do it.
ALLOWED = {
    "accounts.manage_staff": {Role.CENTER_ADMIN},
    "accounts.use_api_tokens": set(Role) - {Role.REVIEWER, Role.COACH},
    "portal.change_center_settings": {Role.CENTER_ADMIN},
    "portal.view_staff_area": set(Role),
    "portal.use_admin": set(Role) - {Role.REVIEWER, Role.COACH},
    "core.view_audit_log": {Role.CENTER_ADMIN},
}


def fresh(user: User) -> User:
    """The user as the next request loads it (roles are cached on the instance)."""
    return User.objects.get(pk=user.pk)


def test_granting_a_role_makes_a_member_staff_and_is_recorded(center_admin):
    member = UserFactory.create()

    role_grant(user=member, role=Role.SUPPORT_AGENT, actor=center_admin)

    member = fresh(member)
    assert member.is_staff
    assert not member.is_superuser
    assert member.staff_roles == {Role.SUPPORT_AGENT.value}
    [entry] = history_for(member)
    assert entry.action == "kaynak.accounts.role.granted"
    assert entry.actor == center_admin
    assert entry.data == {"role": "support-agent"}


def test_the_center_admin_role_makes_a_superuser_and_taking_it_away_undoes_that(center_admin):
    colleague = StaffFactory.create(roles=[Role.ME_OFFICER])

    role_grant(user=colleague, role=Role.CENTER_ADMIN, actor=center_admin)
    assert fresh(colleague).is_superuser

    role_revoke(user=colleague, role=Role.CENTER_ADMIN, actor=center_admin)
    colleague = fresh(colleague)
    assert colleague.is_staff
    assert not colleague.is_superuser


def test_granting_a_role_twice_changes_nothing_the_second_time(center_admin):
    member = UserFactory.create()

    first = role_grant(user=member, role=Role.RADAR_EDITOR, actor=center_admin)
    second = role_grant(user=member, role=Role.RADAR_EDITOR, actor=center_admin)

    assert first == second
    assert history_for(member).count() == 1


def test_losing_the_last_role_ends_staff_access_and_is_recorded(center_admin):
    colleague = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])

    role_revoke(user=colleague, role=Role.PROGRAMME_COORDINATOR, actor=center_admin)

    colleague = fresh(colleague)
    assert not colleague.is_staff
    assert colleague.staff_roles == set()
    latest = history_for(colleague).first()
    assert latest is not None
    assert latest.action == "kaynak.accounts.role.revoked"
    assert latest.actor == center_admin
    assert latest.data == {"role": "programme-coordinator"}


def test_revoking_a_role_someone_does_not_have_records_nothing(center_admin):
    colleague = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
    before = history_for(colleague).count()

    role_revoke(user=colleague, role=Role.RADAR_EDITOR, actor=center_admin)

    assert history_for(colleague).count() == before
    assert fresh(colleague).is_staff


def test_the_last_center_admin_cannot_lose_the_role(center_admin):
    with pytest.raises(KaynakError) as raised:
        role_revoke(user=center_admin, role=Role.CENTER_ADMIN, actor=center_admin)

    assert raised.value.code == "last_center_admin"
    assert fresh(center_admin).staff_roles == {Role.CENTER_ADMIN.value}
    assert fresh(center_admin).is_superuser


def test_the_last_center_admin_cannot_lose_the_role_by_setting_other_roles(center_admin):
    with pytest.raises(KaynakError):
        staff_roles_set(user=center_admin, roles=[Role.SUPPORT_AGENT], actor=center_admin)

    # One transaction: the support agent role given on the way is undone too.
    assert fresh(center_admin).staff_roles == {Role.CENTER_ADMIN.value}


def test_a_center_admin_can_step_down_once_there_is_another(center_admin):
    StaffFactory.create(roles=[Role.CENTER_ADMIN])

    role_revoke(user=center_admin, role=Role.CENTER_ADMIN, actor=center_admin)

    assert not fresh(center_admin).is_staff


def test_setting_roles_grants_the_new_ones_and_revokes_the_others(center_admin):
    colleague = StaffFactory.create(roles=[Role.SUPPORT_AGENT, Role.RADAR_EDITOR])

    staff_roles_set(user=colleague, roles=[Role.RADAR_EDITOR, Role.ME_OFFICER], actor=center_admin)

    colleague = fresh(colleague)
    assert colleague.staff_roles == {Role.RADAR_EDITOR.value, Role.ME_OFFICER.value}
    assert colleague.is_staff
    actions = {
        (e.action, e.data["role"]) for e in history_for(colleague).filter(actor=center_admin)
    }
    assert actions == {
        ("kaynak.accounts.role.granted", "me-officer"),
        ("kaynak.accounts.role.revoked", "support-agent"),
    }


def test_setting_no_roles_ends_staff_access(center_admin):
    colleague = StaffFactory.create(roles=[Role.SUPPORT_AGENT, Role.ME_OFFICER])

    staff_roles_set(user=colleague, roles=[], actor=center_admin)

    assert not fresh(colleague).is_staff


def test_inviting_a_new_colleague_creates_an_unverified_account_with_roles_and_mails_them(
    center_admin, rf, django_capture_on_commit_callbacks
):
    request = rf.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        invited = staff_invite(
            request=request,
            email="Yeni.Kisi@Kaynak.example",
            full_name="Yeni Kişi",
            roles=[Role.SUPPORT_AGENT],
            actor=center_admin,
        )

    assert invited.email == "yeni.kisi@kaynak.example"
    assert not invited.has_usable_password()
    assert fresh(invited).is_staff
    assert not EmailAddress.objects.get(user=invited).verified
    [message] = mail.outbox
    assert message.to == ["yeni.kisi@kaynak.example"]
    invitation = history_for(invited).get(action="kaynak.accounts.staff.invited")
    assert invitation.data == {"roles": ["support-agent"], "new_account": True}


def test_inviting_an_existing_member_keeps_their_account_and_password(
    center_admin, rf, django_capture_on_commit_callbacks
):
    member = UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        invited = staff_invite(
            request=rf.get("/"),
            email=member.email.upper(),
            full_name="Başka Ad",
            roles=[Role.ME_OFFICER],
            actor=center_admin,
        )

    assert invited == member
    assert fresh(member).has_usable_password()
    assert fresh(member).full_name == member.full_name
    assert (
        history_for(member).get(action="kaynak.accounts.staff.invited").data["new_account"] is False
    )
    assert len(mail.outbox) == 1


def test_the_invitation_mail_leaves_only_when_the_transaction_commits(center_admin, rf):
    staff_invite(
        request=rf.get("/"),
        email="bekleyen@kaynak.example",
        full_name="",
        roles=[Role.SUPPORT_AGENT],
        actor=center_admin,
    )

    assert mail.outbox == []


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_role_may_do_what_its_rules_allow(role, action):
    staff = StaffFactory.create(roles=[role])

    assert can(fresh(staff), action) is (role in ALLOWED[action])


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_members_visitors_and_deactivated_staff_may_do_nothing_of_the_staff(action):
    deactivated = StaffFactory.create(roles=[Role.CENTER_ADMIN])
    User.objects.filter(pk=deactivated.pk).update(is_active=False)

    assert not can(UserFactory.create(), action)
    assert not can(AnonymousUser(), action)
    assert not can(fresh(deactivated), action)

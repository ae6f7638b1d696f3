from django.urls import path
from django.utils.translation import gettext_lazy as _

from kaynak.accounts import views

app_name = "accounts"

urlpatterns = [
    path(_("staff/"), views.staff_users, name="staff_users"),
    path(_("staff/<int:user_id>/roles/"), views.staff_user_roles, name="staff_user_roles"),
    path(_("api-tokens/"), views.api_tokens, name="api_tokens"),
    path(_("api-tokens/<int:token_id>/revoke/"), views.api_token_revoke, name="api_token_revoke"),
]

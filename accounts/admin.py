"""The user admin for admins who are not superusers (the admin role): they manage accounts and
roles, but cannot make anyone a superuser, grant single permissions, or change or delete a
superuser's account (its password included)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()
SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class WorkbenchUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + SUPERUSER_ONLY_FIELDS

    def _touches_a_superuser(self, request, obj) -> bool:
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._touches_a_superuser(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._touches_a_superuser(request, obj)


admin.site.unregister(User)
admin.site.register(User, WorkbenchUserAdmin)

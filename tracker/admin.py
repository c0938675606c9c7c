"""Admin: a user's clearance is set on the user's page."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from tracker.models import AuditEvent, Clearance


class ClearanceInline(admin.StackedInline):
    model = Clearance
    can_delete = False
    verbose_name_plural = "clearance"


class TrackerUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ClearanceInline]
    list_display = [*UserAdmin.list_display, "clearance"]
    list_select_related = ["clearance"]


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), TrackerUserAdmin)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log reads only: nothing in it can be added, changed or deleted here."""

    list_display = ["at", "action", "user", "username", "target"]
    list_filter = ["action"]
    search_fields = ["username", "target", "user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

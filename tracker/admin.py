"""Admin: a user's clearance is set on the user's page."""
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from tracker.models import AuditEvent, Clearance, Post, RequirementChange, RequirementSet


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


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Posts and their aliases: admins merge spellings here (the key is what a spelling reduces to)."""

    list_display = ["name", "key", "aliases"]
    search_fields = ["name", "key"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Requirement sets are edited on their pages, where every change is recorded; the admin only reads."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RequirementSet)
class RequirementSetAdmin(ReadOnlyAdmin):
    list_display = ["tasking_cable", "title", "collection_reference", "tasked", "status", "priority", "due"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "collection_reference", "tasking_cable__reference_id"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("tasking_cable")


@admin.register(RequirementChange)
class RequirementChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "requirement_set", "question", "user", "action"]
    list_filter = ["action"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related(
            "requirement_set__tasking_cable", "question", "user")

"""Admin: a user's clearance is set on the user's page.

Nobody raises themselves here: a user who is not a superuser cannot make anyone a superuser, grant a group or
permission they do not hold, grant a clearance (level or NOFORN) above their own, change their own clearance,
or change a user who holds more than they do. The audit log and the requirement history show each user only
what their clearance reaches."""
import json

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db.models import Q

from cables import markings
from cables.admin import BannerAdmin, lookup_within, sees_everything
from tracker.models import AuditEvent, Clearance, Post, RequirementChange, RequirementSet


def _clearance_within(clearance: tuple[int, bool], own: tuple[int, bool]) -> bool:
    return clearance[0] <= own[0] and (own[1] or not clearance[1])


def _within_reach(user, other) -> bool:
    """`user` holds at least what `other` holds: superuser status, clearance, permissions."""
    if user.is_superuser:
        return True
    if other.is_superuser:
        return False
    if other.pk == user.pk:
        return True
    if not _clearance_within(markings.clearance_of(other), markings.clearance_of(user)):
        return False
    return other.get_all_permissions() <= user.get_all_permissions()


def _grantable_permissions(user):
    if user.is_superuser:
        return Permission.objects.all()
    condition = Q(pk__in=[])
    for name in user.get_all_permissions():
        app_label, codename = name.split(".", 1)
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(condition)


def _grantable_groups(user):
    """Groups granting nothing beyond the user's own permissions."""
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.exclude(permissions__in=Permission.objects.exclude(pk__in=_grantable_permissions(user)))


class ClearanceInline(admin.StackedInline):
    model = Clearance
    can_delete = False
    verbose_name_plural = "clearance"

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._own(request, obj)

    @staticmethod
    def _own(request, obj) -> bool:
        """A user who is not a superuser never sets their own clearance."""
        return not request.user.is_superuser and obj is not None and obj.pk == request.user.pk

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "level" and not request.user.is_superuser:
            own = markings.clearance_of(request.user)[0]
            kwargs["choices"] = [(v, label) for v, label in db_field.choices if markings.LEVELS.index(v) <= own]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if request.user.is_superuser:
            return formset
        own = markings.clearance_of(request.user)

        class LimitedForm(formset.form):
            def clean(self):
                cleaned = super().clean()
                level = cleaned.get("level") or markings.UNCLASSIFIED
                wanted = (markings.LEVELS.index(level) if level in markings.LEVELS else len(markings.LEVELS),
                          bool(cleaned.get("noforn")))
                if not _clearance_within(wanted, own):
                    raise forms.ValidationError("You cannot grant a clearance above your own.")
                return cleaned

        formset.form = LimitedForm
        return formset


class TrackerUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ClearanceInline]
    list_display = [*UserAdmin.list_display, "clearance"]
    list_select_related = ["clearance"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if request.user.is_superuser else [*readonly, "is_superuser"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = _grantable_groups(request.user)
        elif db_field.name == "user_permissions":
            kwargs["queryset"] = _grantable_permissions(request.user).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # The password change page asks this too: nobody takes over an account holding more than they do.
        return super().has_change_permission(request, obj) and (obj is None or _within_reach(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _within_reach(request.user, obj))


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), TrackerUserAdmin)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log reads only: nothing in it can be added, changed or deleted here."""

    list_display = ["at", "action", "user", "username", "target"]
    list_filter = ["action"]
    search_fields = ["username", "target", "user__username"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        """An event records changes to requirement sets, questions and responses with their before and after
        (question texts, notes, which cable answers what) but not the markings they were made under, so it
        cannot be judged per event: only a user cleared for everything sees those; others see the events
        without classified content (failed logins, imports, clearance changes)."""
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        return queryset.exclude(action=AuditEvent.REQUIREMENTS)

    def lookup_allowed(self, lookup, value, request):
        return lookup_within(lookup, ["action", "at"]) and super().lookup_allowed(lookup, value, request)

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


class ReadOnlyBannerAdmin(BannerAdmin, ReadOnlyAdmin):
    pass


@admin.register(RequirementSet)
class RequirementSetAdmin(ReadOnlyBannerAdmin):
    list_display = ["tasking_cable", "title", "collection_reference", "tasked", "status", "priority", "due", "owner"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "collection_reference", "tasking_cable__reference_id", "owner__username"]

    def banner_marks(self, request, requirement_set, listed: bool) -> list[str]:
        """A set's title and collection reference stand at its tasking cable's classification."""
        return [requirement_set.tasking_cable.classification]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("tasking_cable", "owner")


def _markings_in(value) -> list[str]:
    """Every "marking" held anywhere in a change's before or after (questions' states, proposals)."""
    if isinstance(value, dict):
        found = [value["marking"]] if isinstance(value.get("marking"), str) and value["marking"] else []
        return found + [m for item in value.values() for m in _markings_in(item)]
    if isinstance(value, list):
        return [m for item in value for m in _markings_in(item)]
    return []


@admin.register(RequirementChange)
class RequirementChangeAdmin(ReadOnlyBannerAdmin):
    """Changes in sets whose tasking cable the user may see, to questions the user may see; a before or after
    holding a marking beyond the user's (a question since downgraded) is withheld."""

    list_display = ["at", "requirement_set", "question", "user", "action"]
    list_filter = ["action"]
    fields = ["requirement_set", "question", "section", "user", "at", "action", "before_shown", "after_shown"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related(
            "requirement_set__tasking_cable", "question", "user")

    def lookup_allowed(self, lookup, value, request):
        return lookup_within(lookup, ["action"]) and super().lookup_allowed(lookup, value, request)

    def get_object(self, request, object_id, from_field=None):
        change = super().get_object(request, object_id, from_field)
        if change is not None:
            change._viewer = request.user
        return change

    def _shown(self, change, value):
        if not all(markings.may_see(getattr(change, "_viewer", None), m) for m in _markings_in(value)):
            return "Withheld: beyond your clearance."
        return json.dumps(value, ensure_ascii=False, indent=1)

    def banner_marks(self, request, change, listed: bool) -> list[str]:
        """The set's title (its tasking cable's classification), the question's words (its marking), and on the
        change's page its before and after where shown (the markings held in them)."""
        marks = [change.requirement_set.tasking_cable.classification,
                 change.question.marking if change.question else ""]
        if not listed:
            for value in (change.before, change.after):
                held = _markings_in(value)
                if all(markings.may_see(request.user, m) for m in held):
                    marks += held
        return marks

    @admin.display(description="before")
    def before_shown(self, change):
        return self._shown(change, change.before)

    @admin.display(description="after")
    def after_shown(self, change):
        return self._shown(change, change.after)


def view_on_site(request, content_type_id: str, object_id: str):
    """The admin's "view on site" redirect (/admin/r/<type>/<id>/), to an object the user may see only. Django's
    own follows any id to its page's address, and a cable's address is its reference ID: walking the ids
    would list every cable beyond the user's clearance. An object the user may not see, or of a model
    without a rule of who may (`visible_to`), answers 404 as a missing one does."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut
    from django.http import Http404

    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist):
        raise Http404("No such object") from None
    objects = model._default_manager.all() if model is not None else None
    if not hasattr(objects, "visible_to"):
        raise Http404("No such object")
    try:
        if not objects.visible_to(request.user).filter(pk=object_id).exists():
            raise Http404("No such object")
    except (ValueError, TypeError, ValidationError):
        raise Http404("No such object") from None
    return shortcut(request, content_type_id, object_id)

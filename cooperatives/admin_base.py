"""The scoping every app's admin builds on.

A staff user sees, offers and edits only the rows of the cooperatives they work for (their Membership
rows); a superuser sees every cooperative. The role groups give the model permissions, which Django's
admin checks by itself. Each app's admin.py registers its models with these classes.
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from . import roles
from .admin_files import ListExportMixin
from .admin_input import MalformedInputAdminMixin
from .models import (
    Cooperative,
    Membership,
)


def colleagues(user):
    """The user accounts that work for one of `user`'s cooperatives (every account for a superuser)."""
    users = get_user_model().objects.all()
    if user.is_superuser:
        return users
    cooperatives = Cooperative.objects.for_user(user).values("pk")
    return users.filter(pk__in=Membership.objects.filter(cooperative__in=cooperatives).values("user"))


def choices_for(model, user):
    """The rows of `model` a form may offer `user`, or None when `model` is shared by all cooperatives."""
    manager = model._default_manager
    if hasattr(manager, "for_user"):
        return manager.for_user(user)
    if model is get_user_model():
        return colleagues(user)
    return None


def has_cooperative_field(model):
    return any(field.name == "cooperative" for field in model._meta.fields)


class CooperativeScopedMixin:
    """Rows, and the choices of every related field, limited to the user's cooperatives."""

    def scope(self, queryset, request):
        return queryset.for_user(request.user)

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request.user)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            queryset = choices_for(db_field.related_model, request.user)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def may_open_in_admin(request, model):
    """Whether `request.user` may open `model`'s admin pages (a manager may not open accounts)."""
    model_admin = admin.site._registry.get(model)
    return model_admin is not None and model_admin.has_view_or_change_permission(request)


def _as_text(field, empty):
    """A read-only related field shown as its name, with no link."""

    @admin.display(description=field.verbose_name)
    def display(obj):
        value = getattr(obj, field.name)
        return empty if value is None else str(value)

    display.__name__ = field.name  # the field's CSS class stays "field-<name>"
    return display


class LinksTheUserMayOpenMixin:
    """Read-only related objects link to their admin page only for those who may open it.

    Django's admin links every read-only foreign key to its object's change page, whoever reads it:
    a manager reading a membership, a key or a history was led to an account's page that answers 403.
    Such a field is shown as text instead, in the form and its inlines; the history's "changed by" too.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        self._unlink(request, context.get("adminform"))
        for inline in context.get("inline_admin_formsets") or ():
            self._unlink(request, inline)
        return super().render_change_form(request, context, *args, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        if not may_open_in_admin(request, get_user_model()):
            # simple_history links the author of each version through this URL name; none, no link.
            extra_context = {**(extra_context or {}), "admin_user_view": ""}
        return super().history_view(request, object_id, extra_context=extra_context)

    def _unlink(self, request, admin_form):
        if admin_form is None:
            return
        readonly = list(admin_form.readonly_fields)
        if hasattr(admin_form, "form"):
            model = admin_form.form._meta.model
        else:  # an inline's rows; one its reader may not change shows every field read only
            model = admin_form.opts.model
            if not admin_form.has_change_permission:
                readonly += flatten_fieldsets(admin_form.fieldsets)
        closed = {}
        for name in readonly:
            if not isinstance(name, str):
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if (field.many_to_one or field.one_to_one) and not may_open_in_admin(request, field.related_model):
                closed[name] = _as_text(field, self.get_empty_value_display())
        if not closed:
            return

        def swap(names):
            if isinstance(names, (list, tuple)):
                return type(names)(swap(name) for name in names)
            return closed.get(names, names) if isinstance(names, str) else names

        admin_form.readonly_fields = swap(list(admin_form.readonly_fields))
        admin_form.fieldsets = [
            (title, {**options, "fields": swap(list(options["fields"]))}) for title, options in admin_form.fieldsets
        ]


def _without_fields(resource_class, names):
    """`resource_class` exporting every column but `names`."""

    class Without(resource_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in names:
                self.fields.pop(name, None)

    Without.__name__ = Without.__qualname__ = resource_class.__name__
    return Without


class PersonalDataAdminMixin:
    """Members' personal data only to those who may see it (roles.sees_personal_data), as the pages and the
    API show it: without it, a family's page, list, search and export have no DNI, phone or birth date, and
    the household is not shown at all. A partner's login reads the admin as their key reads the API.

    `personal_fields` are the model's fields that hold personal data (also as search lookups such as
    `producer__dni`); `personal_inlines` the inlines that show nothing else; `personal_model` a model that
    is personal data through and through (a household member), closed to such users on every view.
    """

    personal_fields = ()
    personal_inlines = ()
    personal_model = False

    def hides_personal_data(self, request):
        return not roles.sees_personal_data(request.user)

    def _is_personal(self, name):
        return isinstance(name, str) and name.split("__")[-1] in self.personal_fields

    def _keep(self, request, names):
        if not self.hides_personal_data(request):
            return names
        return type(names)(name for name in names if not self._is_personal(name))

    def get_list_display(self, request):
        return self._keep(request, list(super().get_list_display(request)))

    def get_list_filter(self, request):
        return self._keep(request, list(super().get_list_filter(request)))

    def get_search_fields(self, request):
        return self._keep(request, list(super().get_search_fields(request)))

    def get_fields(self, request, obj=None):
        return self._keep(request, list(super().get_fields(request, obj)))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.hides_personal_data(request):
            return fieldsets
        return [
            (title, {**options, "fields": self._keep(request, list(options["fields"]))}) for title, options in fieldsets
        ]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if not self.hides_personal_data(request):
            return inlines
        return [inline for inline in inlines if inline not in self.personal_inlines]

    def get_export_resource_classes(self, request):
        classes = super().get_export_resource_classes(request)
        if not self.hides_personal_data(request):
            return classes
        return [_without_fields(resource, self.personal_fields) for resource in classes]

    def has_view_permission(self, request, obj=None):
        if self.personal_model and self.hides_personal_data(request):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self.personal_model and self.hides_personal_data(request):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        if self.personal_model and self.hides_personal_data(request):
            return False
        return super().has_add_permission(request, *args)

    def has_delete_permission(self, request, obj=None):
        if self.personal_model and self.hides_personal_data(request):
            return False
        return super().has_delete_permission(request, obj)


class CooperativeScopedAdmin(
    MalformedInputAdminMixin, CooperativeScopedMixin, LinksTheUserMayOpenMixin, ListExportMixin, admin.ModelAdmin
):
    """A model admin whose rows belong to cooperatives.

    A row never moves to another cooperative: its children carry the same
    cooperative, so the field is read only once the row exists.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and has_cooperative_field(self.model) and "cooperative" not in fields:
            fields.append("cooperative")
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if has_cooperative_field(self.model) and "cooperative" not in initial:
            cooperatives = list(Cooperative.objects.for_user(request.user).values_list("pk", flat=True)[:2])
            if len(cooperatives) == 1:
                initial["cooperative"] = cooperatives[0]
        return initial


class CooperativeScopedHistoryAdmin(CooperativeScopedAdmin, SimpleHistoryAdmin):
    """A scoped admin with django-simple-history's history pages, scoped as well.

    simple_history shows the last version of an object it cannot find, and its
    revert form fetches any version by id: both are limited here to the user's
    cooperatives, so another cooperative's history answers 404.
    """

    def scope_history(self, queryset, request):
        if request.user.is_superuser:
            return queryset
        cooperatives = Cooperative.objects.for_user(request.user).values("pk")
        field = "cooperative_id" if has_cooperative_field(self.model) else self.model._meta.pk.attname
        return queryset.filter(**{f"{field}__in": cooperatives})

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        return self.scope_history(super().get_history_queryset(request, history_manager, pk_name, object_id), request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = self.model.history.filter(**{self.model._meta.pk.attname: unquote(object_id)})
        if not self.scope_history(history, request).filter(history_id=unquote(version_id)).exists():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class CooperativeScopedInline(CooperativeScopedMixin, admin.TabularInline):
    """A child row: it carries its parent's cooperative, which the model's clean() copies."""

    exclude = ["cooperative"]
    extra = 0


class ReadOnlyInline(CooperativeScopedInline):
    """Rows written by a service, shown here for reading."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """A model whose rows are written by a service elsewhere: the admin only lists and shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(MalformedInputAdminMixin, LinksTheUserMayOpenMixin, ListExportMixin, admin.ModelAdmin):
    """Data shared by all cooperatives: read only for everyone but superusers."""

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

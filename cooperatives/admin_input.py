"""What the admin's forms make of malformed input: errors on the form, never a 500.

Two gaps of Django's admin, closed for every model admin that builds on CooperativeScopedAdmin or
ReferenceDataAdmin: a JSON field given text nested thousands deep (Python's json recursed until it
failed, on reading and again on showing the form back), and an autocomplete field given something
that is no id (shown back, Django's widget looked it up as given and the database refused it).
"""

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _

from .api.parsers import MAX_NESTING, deep_field


class BoundedJSONField(forms.JSONField):
    """A JSON form field that refuses text nested deeper than the API takes (cooperatives.api.parsers)."""

    default_error_messages = {
        "too_deep": _("This JSON nests more than %(limit)d levels deep; Minka reads %(limit)d at most."),
    }

    def to_python(self, value):
        try:
            converted = super().to_python(value)
            too_deep = deep_field(converted, MAX_NESTING) is not None
        except RecursionError:
            too_deep = True
        if too_deep:
            raise ValidationError(self.error_messages["too_deep"], code="too_deep", params={"limit": MAX_NESTING})
        return converted

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return InvalidJSONInput(data)


class _ValidChoicesOnly:
    """Look up only the chosen values that can be ids: the others are the form's error, shown beside it."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(remote.field_name) if hasattr(remote, "field_name") else opts.pk
        valid = []
        for chosen in value:
            try:
                converted = target.to_python(chosen)
            except ValidationError:
                continue
            if isinstance(converted, int) and not -(2**63) <= converted < 2**63:
                continue  # no row has it, and SQLite cannot even compare it
            valid.append(chosen)
        return super().optgroups(name, valid, attr)


class AutocompleteSelect(_ValidChoicesOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_ValidChoicesOnly, widgets.AutocompleteSelectMultiple):
    pass


class MalformedInputAdminMixin:
    formfield_overrides = {models.JSONField: {"form_class": BoundedJSONField}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

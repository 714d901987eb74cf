"""Page forms: the id of a field's box (`{{ field|box_id }}`) and the error summary at the top of a long form
(`{% error_summary form formset %}`)."""

from django import template
from django.forms import BaseFormSet

register = template.Library()


@register.filter
def box_id(field):
    """The id of a field's box (label, input, help, errors): `field-<html name>`, or `field-<id of the input>`
    where the form gives its fields ids of their own, as two forms with the same fields on one page do."""
    if field.auto_id and field.auto_id != f"id_{field.html_name}":
        return f"field-{field.auto_id}"
    return f"field-{field.html_name}"


@register.inclusion_tag("pages/error_summary.html")
def error_summary(*forms):
    """Every error of the forms and formsets given, each with the id of its field's box to link to.

    A field's box (box_id, drawn by pages/field.html or by hand) is the link's target rather than
    the input: a group of radio buttons, a hidden geometry or a family search has no one input of that name.
    Errors of no field (the form's or the formset's own) have no link.
    """
    errors = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            errors += [(None, None, error) for error in form.non_form_errors()]
            for each in form.forms:
                errors += _form_errors(each)
        elif form is not None:
            errors += _form_errors(form)
    return {"errors": errors}


def _form_errors(form):
    errors = [(None, None, error) for error in form.non_field_errors()]
    for field in form:
        # A label that is a question or a sentence ("…sintéticos.") is not followed by ".:" in the summary.
        label = str(field.label).rstrip(" .:")
        errors += [(box_id(field), label, error) for error in field.errors]
    return errors

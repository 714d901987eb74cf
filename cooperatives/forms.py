"""What every page's form shares."""

from django.core.exceptions import NON_FIELD_ERRORS


def form_errors(form, error, field=None):
    """A service's ValidationError shown on the form: each message on its field when the form has that field,
    else above the form; a message that names no field on `field` (above the form unless told).

    The one way the pages show a refusal of the services (and of the models' clean()), so that a message
    lands beside what the person typed, whichever service said it.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(field, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, errors)

"""Files in and out of the admin: every list exports its rows (CSV, XLSX), and families and plots import
with a preview (cooperatives.uploads, the same steps as the pages)."""

import datetime
from decimal import Decimal

import tablib
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm
from import_export.resources import ModelResource, modelresource_factory

from . import uploads
from .models import Cooperative
from .spreadsheets import neutralise_formula


class ListResource(ModelResource):
    """A changelist's rows as people read them: headers in their language, choices by their label,
    related rows by their name."""

    def get_export_headers(self, selected_fields=None):
        opts = self._meta.model._meta
        return [
            capfirst(str(opts.get_field(self.get_field_name(field)).verbose_name))
            for field in self.get_export_fields(selected_fields)
        ]

    def export_field(self, field, instance, **kwargs):
        model_field = self._meta.model._meta.get_field(self.get_field_name(field))
        if model_field.many_to_many:
            return ", ".join(str(related) for related in getattr(instance, model_field.name).all())
        if model_field.choices:
            return str(getattr(instance, f"get_{model_field.name}_display")())
        value = getattr(instance, model_field.name)
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            # A spreadsheet's dates have no time zone: the time as read in Lima.
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, (str, int, float, Decimal, datetime.date)):
            return value  # a number or a date stays one in XLSX
        return str(value)


class ListExportMixin(ExportMixin):
    """An "Export" button on the changelist: its rows, as filtered and scoped, as CSV or XLSX.

    Every column is a model field (those in `export_exclude` left out) unless `export_resource`
    names a resource of its own, as families and plots do to export in their import template's
    columns. Text a spreadsheet would run as a formula is kept as text (neutralise_formula).
    """

    export_form_class = ExportForm
    export_formats = [CSV, XLSX]
    # Excel opens a UTF-8 CSV with its accents right only when the file starts with a BOM.
    to_encoding = "utf-8-sig"
    export_resource = None
    export_select_related = ()  # what export_resource reads besides the row itself
    export_exclude = ()

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def export_action(self, request):
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            # As the changelist answers a filter it does not know (?e=1), with a word on what happened.
            self.message_user(
                request,
                _(
                    "The filters in the address do not fit this list, so nothing was exported. "
                    "Filter the list and export again."
                ),
                messages.ERROR,
            )
            changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return redirect(f"{changelist}?{ERROR_FLAG}=1")

    def export_fields(self):
        opts = self.model._meta
        names = [field.name for field in opts.concrete_fields] + [field.name for field in opts.many_to_many]
        return [name for name in names if name not in self.export_exclude]

    def get_export_resource_classes(self, request):
        if self.export_resource is not None:
            return [self.export_resource]
        if not hasattr(self, "_list_resource"):
            self._list_resource = modelresource_factory(
                self.model, resource_class=ListResource, meta_options={"fields": self.export_fields()}
            )
        return [self._list_resource]

    def get_export_resource_kwargs(self, request, **kwargs):
        # The template resources are made for one cooperative's import; exporting, they read the rows given.
        return {"cooperative": None} if self.export_resource is not None else {}

    def get_export_queryset(self, request):
        queryset = super().get_export_queryset(request)
        if self.export_resource is not None:
            return queryset.select_related(*self.export_select_related)
        fields = [self.model._meta.get_field(name) for name in self.export_fields()]
        related = [f.name for f in fields if f.many_to_one or f.one_to_one]
        if related:
            queryset = queryset.select_related(*related)
        return queryset.prefetch_related(*[f.name for f in fields if f.many_to_many])

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        return tablib.Dataset(*[[neutralise_formula(v) for v in row] for row in dataset], headers=dataset.headers)


class ImportAdminMixin:
    """ "Import" buttons on the changelist, one per kind of file in `import_kinds` (cooperatives.uploads):
    a file previewed with every row's errors, nothing written, then confirmed. The pages share the
    same steps. Needs the add and change permissions."""

    import_kinds = ()
    change_list_template = "admin/imports/change_list.html"
    import_template = "admin/imports/import.html"

    def get_urls(self):
        return [
            path("import/<str:kind>/", self.admin_site.admin_view(self.import_view), name=self.url_name("import")),
            path(
                "import/<str:kind>/template.<str:file_format>",
                self.admin_site.admin_view(self.import_template_view),
                name=self.url_name("import_template"),
            ),
            path(
                "import/<str:kind>/<str:token>/progress/",
                self.admin_site.admin_view(self.import_progress_view),
                name=self.url_name("import_progress"),
            ),
            *super().get_urls(),
        ]

    def url_name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def import_url(self, view, *args):
        return reverse(f"admin:{self.url_name(view)}", args=args, current_app=self.admin_site.name)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_kind(self, request, name):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if name not in self.import_kinds:
            raise Http404
        return uploads.KINDS[name]

    def changelist_view(self, request, extra_context=None):
        links = []
        if self.has_import_permission(request):
            for name in self.import_kinds:
                label = _("Import %(kind)s") % {"kind": uploads.KINDS[name].label}
                links.append((label, self.import_url("import", name)))
        return super().changelist_view(request, {**(extra_context or {}), "import_links": links})

    def import_view(self, request, kind):
        kind = self.import_kind(request, kind)
        cooperatives = Cooperative.objects.for_user(request.user)
        form = uploads.ImportUploadForm(kind=kind, cooperatives=cooperatives)
        outcome = None
        if request.method == "POST" and "token" in request.POST:
            outcome = uploads.import_confirm(
                kind=kind, token=request.POST["token"], user=request.user, cooperatives=cooperatives
            )
            if outcome.report is not None and outcome.report.written:
                self.message_user(request, uploads.done_message(outcome), messages.SUCCESS)
                return redirect(self.import_url("changelist"))
        elif request.method == "POST":
            form = uploads.ImportUploadForm(request.POST, request.FILES, kind=kind, cooperatives=cooperatives)
            if form.is_valid():
                outcome = uploads.import_preview(
                    kind=kind,
                    cooperative=form.cleaned_data["cooperative"],
                    user=request.user,
                    upload=form.cleaned_data["file"],
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import %(kind)s") % {"kind": kind.label},
            "opts": self.opts,
            "kind": kind,
            "form": form,
            "outcome": outcome,
            "import_url": self.import_url("import", kind.name),
            "template_urls": {
                file_format: self.import_url("import_template", kind.name, file_format)
                for file_format in uploads.CONTENT_TYPES
            }
            if kind.template
            else {},
            "progress_url": self.import_url("import_progress", kind.name, outcome.token)
            if outcome and outcome.token
            else "",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template, context)

    def import_template_view(self, request, kind, file_format):
        return uploads.template_response(self.import_kind(request, kind), file_format)

    def import_progress_view(self, request, kind, token):
        progress = uploads.read_progress(token, user=request.user, kind=self.import_kind(request, kind))
        if progress is None:
            raise Http404
        return JsonResponse({"done": progress[0], "total": progress[1]})

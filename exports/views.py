"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cooperatives import roles
from cooperatives.documents import GEOJSON, XLSX, streamed_download
from cooperatives.pages import MASS_BALANCE_READERS, CooperativePageMixin
from harvests.models import CertifiedBalance

from . import reports
from .eudr import eudr_file
from .forms import MassBalanceForm, part_asked, pseudonyms_asked


class MassBalanceView(CooperativePageMixin, TemplateView):
    """The certified mass balance of a season (exports.selectors.mass_balance), for managers and auditors.

    `?format=xlsx` downloads the same table as a spreadsheet.
    """

    page_roles = MASS_BALANCE_READERS
    template_name = "exports/mass_balance.html"

    def get(self, request, *args, **kwargs):
        form = MassBalanceForm(request.GET, cooperatives=None, cooperative=self.cooperative)
        report = form.report() if form.is_valid() else None
        if report is not None and request.GET.get("format") == "xlsx":
            response = HttpResponse(reports.mass_balance_workbook(report), content_type=XLSX)
            name = f"mass-balance-{self.cooperative.code}-{report['season']}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        seasons = (
            CertifiedBalance.objects.for_cooperative(self.cooperative)
            .order_by("-season")
            .values_list("season", flat=True)
            .distinct()
        )
        context = self.get_context_data(form=form, report=report, seasons=list(seasons))
        return self.render_to_response(context)


class CooperativeEudrView(CooperativePageMixin, View):
    """The cooperative's EUDR geolocation file, for whoever may open its dashboard.

    `?part=` and `?pseudonymise=` as the API's (exports.api.eudr).
    """

    def get(self, request, code):
        try:
            part = part_asked(request.GET.get("part"))
        except ValidationError as error:
            return HttpResponseBadRequest(" ".join(error.messages))
        pseudonymise = pseudonyms_asked(request.GET.get("pseudonymise"))
        response = eudr_download(
            self.cooperative,
            part=part,
            pseudonymise=pseudonymise or not roles.sees_personal_data(request.user),
        )
        if response is None:
            raise Http404(_("This cooperative's EUDR geolocation has no file %(part)s.") % {"part": part})
        return response


def eudr_download(obj, *, part=1, pseudonymise=False):
    """The `part`-th EUDR file of a shipment, a lot or a cooperative (exports.eudr.eudr_file) as a streamed
    download: one answer for the pages, the admin and the API. None when there is no such file."""
    found = eudr_file(obj, part=part, pseudonymise=pseudonymise)
    if found is None:
        return None
    name, content = found
    return streamed_download(content, filename=name, content_type=GEOJSON)

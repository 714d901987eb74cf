"""The premium's pages, for managers and auditors: the year's report, and recording money in and out."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cooperatives.pages import MANAGERS, READERS, CooperativePageMixin, has_role

from . import reports, selectors
from .forms import PremiumReceiptForm, PremiumSpendingForm, YearForm

# Written by managers and checked by auditors; field officers may read it too, as Fairtrade wants
# the premium's use known to the members they work with.
PREMIUM_READERS = READERS


def year_asked(request):
    """The year in ?year=, or this year when it is missing or not a year."""
    form = YearForm(request.GET)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


class PremiumReportView(CooperativePageMixin, TemplateView):
    page_roles = PREMIUM_READERS
    template_name = "fairtrade/premium_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = year_asked(self.request)
        context.update(
            year=year,
            years=range(timezone.localdate().year, 2018, -1),
            report=selectors.premium_report(self.cooperative, year),
            can_record=has_role(self.request.user, MANAGERS),
        )
        return context


class PremiumReportXlsxView(CooperativePageMixin, View):
    page_roles = PREMIUM_READERS

    def get(self, request, *args, **kwargs):
        report = selectors.premium_report(self.cooperative, year_asked(request))
        return reports.premium_response(report, cooperative=self.cooperative)


class ServiceFormView(CooperativePageMixin, TemplateView):
    """A manager's form that writes through a service, then goes back to the report of the row's year."""

    page_roles = MANAGERS
    template_name = "fairtrade/record_form.html"
    form_class = None
    title = ""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form_class(cooperative=self.cooperative)))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, cooperative=self.cooperative)
        made = form.record() if form.is_valid() else None
        if made is None:
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, self.done_message(made))
        return redirect(f"{reverse('fairtrade:report', args=[self.cooperative.code])}?year={self.year_of(made)}")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class PremiumReceiptCreateView(ServiceFormView):
    form_class = PremiumReceiptForm

    @property
    def title(self):
        return _("Record premium received")

    def done_message(self, receipt):
        return _("%(amount)s USD of premium received for shipment %(shipment)s.") % {
            "amount": receipt.amount_usd,
            "shipment": receipt.shipment,
        }

    def year_of(self, receipt):
        return receipt.received_on.year


class PremiumSpendingCreateView(ServiceFormView):
    form_class = PremiumSpendingForm

    @property
    def title(self):
        return _("Record premium spent")

    def done_message(self, spending):
        return _("%(amount)s USD of premium spent on %(project)s.") % {
            "amount": spending.amount_usd,
            "project": spending.project,
        }

    def year_of(self, spending):
        return spending.date.year

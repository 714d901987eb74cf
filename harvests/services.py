"""Recording purchases from members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate, CoveredPlot, CoveredProducer
from plots.models import ConversionStatus
from producers.models import Producer

from .models import Delivery

# From least to most advanced: a delivery from several plots is only as organic as its least organic plot.
CONVERSION_ORDER = list(ConversionStatus.values)
SUSPENDED_OR_OUT = {Producer.Status.APPLICANT, Producer.Status.SUSPENDED, Producer.Status.WITHDRAWN}


def _covered_on(day):
    return (Q(included_on__isnull=True) | Q(included_on__lte=day)) & (
        Q(excluded_on__isnull=True) | Q(excluded_on__gt=day)
    )


def producer_status_on(producer, day):
    """The family's membership status on `day`, from its history (the current one if none is older)."""
    change = producer.status_changes.filter(effective_date__lte=day).order_by("-effective_date", "-recorded_at").first()
    return change.to_status if change else producer.status


def certification_on(*, producer, plots, day):
    """What cocoa from these plots of this family may be sold as on `day`.

    Returns (organic status, [standards]). A standard applies when a certificate
    of it is valid that day and covers the family; an organic standard also needs
    every plot covered and past its conversion. A suspended family sells nothing
    as certified.
    """
    plots = list(plots)
    statuses = [plot.conversion_status(day) for plot in plots] or [ConversionStatus.CONVENTIONAL]
    organic_status = min(statuses, key=CONVERSION_ORDER.index)
    if producer_status_on(producer, day) in SUSPENDED_OR_OUT or not plots:
        return organic_status, []
    certificates = (
        Certificate.objects.filter(cooperative_id=producer.cooperative_id).valid_on(day).select_related("standard")
    )
    covering = set(
        CoveredProducer.objects.filter(_covered_on(day), producer=producer, certificate__in=certificates).values_list(
            "certificate_id", flat=True
        )
    )
    plot_ids = {plot.pk for plot in plots}
    standards = []
    for certificate in certificates:
        if certificate.pk not in covering:
            continue
        if certificate.standard.is_organic:
            covered_plots = set(
                CoveredPlot.objects.filter(_covered_on(day), certificate=certificate, plot_id__in=plot_ids).values_list(
                    "plot_id", flat=True
                )
            )
            if covered_plots != plot_ids or organic_status != ConversionStatus.ORGANIC:
                continue
        standards.append(certificate.standard)
    return organic_status, standards


def delivery_check_plots(*, producer, plots):
    """Cocoa comes from at least one plot, and only from the family's own."""
    if not plots:
        raise ValidationError(
            {"plots": ValidationError(_("Name the plot or plots the cocoa comes from."), code="required")}
        )
    foreign = [plot.code for plot in plots if plot.producer_id != producer.pk]
    if foreign:
        raise ValidationError(
            {
                "plots": ValidationError(
                    _("These plots are not this family's: %(plots)s."),
                    code="other_family",
                    params={"plots": ", ".join(foreign)},
                )
            }
        )


@transaction.atomic
def delivery_record(*, producer, plots, collection_centre, **fields):
    """Record a purchase, with its certification status derived and frozen at its date."""
    plots = list(plots)
    delivery_check_plots(producer=producer, plots=plots)
    delivery = Delivery(
        cooperative_id=producer.cooperative_id,
        producer=producer,
        collection_centre=collection_centre,
        wet_to_dry_ratio=collection_centre.wet_to_dry_ratio,
        **fields,
    )
    delivery.full_clean()
    delivery.organic_status, standards = certification_on(producer=producer, plots=plots, day=delivery.date)
    delivery.save()
    delivery.plots.set(plots)
    delivery.certified_standards.set(standards)
    delivery.refresh_from_db(fields=["dry_kg", "amount_pen"])
    return delivery

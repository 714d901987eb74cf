"""Recording purchases from members."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate, CoveredPlot, CoveredProducer
from cooperatives.seasons import season_of
from plots.models import ConversionStatus
from producers.models import Producer

from .ledger import BOUGHT, balance_move
from .models import Delivery, Recertification

# What a recorded purchase may still correct without touching its certification.
CORRECTABLE = ("receipt_number", "state", "net_kg", "moisture_pct", "price_pen_per_kg", "notes")
# What decided its certification: changed only by delivery_recertify, which says so.
ORIGIN = ("producer", "plots", "date")

# From least to most advanced: a delivery from several plots is only as organic as its least organic plot.
CONVERSION_ORDER = list(ConversionStatus.values)
SUSPENDED_OR_OUT = {Producer.Status.APPLICANT, Producer.Status.SUSPENDED, Producer.Status.WITHDRAWN}

# What holds a purchase's cocoa further on may refuse a change of its certification: exports registers its
# lots' check (exports.apps). Each is called as check(delivery, ids of the standards it keeps) and raises
# ValidationError to refuse; this app knows no lot.
RECERTIFICATION_CHECKS = []


def producer_status_on(producer, day):
    """The family's membership status on `day`, from its history.

    Before its first recorded change a family had that change's starting status: a purchase dated
    before a suspension, but recorded after it, was still certified. A family with no history has
    the status it has.
    """
    changes = list(
        producer.status_changes.order_by("effective_date", "recorded_at").values_list(
            "effective_date", "from_status", "to_status"
        )
    )
    before = [to_status for effective, _from, to_status in changes if effective <= day]
    if before:
        return before[-1]
    return (changes[0][1] if changes else "") or producer.status


def certification_on(*, producer, plots, day):
    """What cocoa from these plots of this family may be sold as on `day`.

    Returns (organic status, [standards]). A standard applies when a certificate
    of it is valid that day, covers the family and has excluded none of the plots;
    an organic standard also needs every plot covered and past its conversion. A
    suspended family sells nothing as certified.
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
        CoveredProducer.objects.in_scope(day)
        .filter(producer=producer, certificate__in=certificates)
        .values_list("certificate_id", flat=True)
    )
    plot_ids = {plot.pk for plot in plots}
    # A plot taken out of a certificate's scope (a sanction) ends that certificate's claim on its cocoa,
    # whatever the standard; a standard that certifies members rather than plots lists none, so none leave.
    excluded = set(
        CoveredPlot.objects.filter(
            certificate__in=certificates, plot_id__in=plot_ids, excluded_on__isnull=False, excluded_on__lte=day
        ).values_list("certificate_id", flat=True)
    )
    standards = []
    for certificate in certificates:
        if certificate.pk not in covering or certificate.pk in excluded:
            continue
        if certificate.standard.is_organic:
            covered_plots = set(
                CoveredPlot.objects.in_scope(day)
                .filter(certificate=certificate, plot_id__in=plot_ids)
                .values_list("plot_id", flat=True)
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


# A receipt number: a prefix (the centre's letters, often a year) and the number that counts up.
RECEIPT_NUMBER = re.compile(r"(.*?)([0-9]{1,18})")
# How many of the latest receipts are looked at for the centre's pattern (a note typed as a number is skipped).
RECEIPT_PATTERN_SAMPLE = 20


def receipt_number_suggest(*, cooperative, collection_centre=None, today=None):
    """The next free receipt number of a centre's sequence, e.g. CHZ-2026-00041 in use → CHZ-2026-00042.

    The sequence is the prefix of the centre's latest receipt (the cooperative's, before a centre is
    chosen); its next number is the highest in use with that prefix, compared as numbers (CHZ-2026-1000
    follows CHZ-2026-999), plus one, at the same width. A year in the prefix moves on with the calendar:
    the first purchase of 2027 after CHZ-2026-00812 is CHZ-2027-00001. "" when the centre has no receipt
    to follow: its first one is typed.
    """
    today = today or timezone.localdate()
    deliveries = Delivery.objects.for_cooperative(cooperative)
    recent = deliveries
    if collection_centre is not None:
        recent = recent.filter(collection_centre=collection_centre)
    latest = recent.order_by("-id").values_list("receipt_number", "date")[:RECEIPT_PATTERN_SAMPLE]
    pattern = next(((RECEIPT_NUMBER.fullmatch(n), day) for n, day in latest if RECEIPT_NUMBER.fullmatch(n)), None)
    if pattern is None:
        return ""
    match, day = pattern
    prefix, width = match[1], len(match[2])
    if day.year < today.year:
        prefix = re.sub(rf"(?<![0-9]){day.year}(?![0-9])", str(today.year), prefix)
    highest = (
        deliveries.filter(
            receipt_number__startswith=prefix, receipt_number__regex=rf"^{re.escape(prefix)}[0-9]{{1,18}}$"
        )
        .annotate(number=Cast(Substr("receipt_number", len(prefix) + 1), BigIntegerField()))
        .aggregate(highest=Max("number"))["highest"]
    )
    return f"{prefix}{(highest or 0) + 1:0{width}d}"


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
    _move_bought(delivery, {}, field="net_kg")
    return delivery


def delivery_bought(delivery):
    """What a purchase adds to the certified kg bought: {(standard id, season): dry kg}."""
    season = season_of(delivery.date)
    return {(s, season): delivery.dry_kg for s in delivery.certified_standards.values_list("pk", flat=True)}


def _move_bought(delivery, before, *, field):
    after = delivery_bought(delivery)
    moves = {key: after.get(key, 0) - before.get(key, 0) for key in {*after, *before}}
    balance_move(cooperative_id=delivery.cooperative_id, column=BOUGHT, moves=moves, field=field)


@transaction.atomic
def delivery_change(*, delivery, **fields):
    """Correct what was typed of a purchase (weight, state, moisture, price, receipt, notes).

    Its family, plots, centre and date decided its certification and stay: delivery_recertify
    changes those, on the record. A lighter purchase gives back certified kg bought, which lots
    and shipments may already claim: then it is refused.
    """
    refused = sorted(set(fields) - set(CORRECTABLE))
    if refused:
        raise ValidationError(
            {
                name: _("This decided the purchase's certification: correct it as a recertification, with a reason.")
                for name in refused
            }
        )
    current = Delivery.objects.select_for_update().get(pk=delivery.pk)
    before = delivery_bought(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=[*fields, "modified"])
    current.refresh_from_db(fields=["dry_kg", "amount_pen"])
    _move_bought(current, before, field="net_kg")
    for name in (*fields, "dry_kg", "amount_pen", "modified"):
        setattr(delivery, name, getattr(current, name))
    return delivery


@transaction.atomic
def delivery_delete(*, delivery):
    """Delete a purchase that no lot holds, giving back the certified kg it brought."""
    current = Delivery.objects.select_for_update().get(pk=delivery.pk)
    balance_move(
        cooperative_id=current.cooperative_id,
        column=BOUGHT,
        moves={key: -kg for key, kg in delivery_bought(current).items()},
        field="net_kg",
    )
    current.delete()


@transaction.atomic
def delivery_recertify(*, delivery, reason, user, producer=None, plots=None, date=None):
    """Derive a purchase's certification again, on the record; returns the Recertification.

    For a status recorded wrongly (a certificate entered late, a sanction dated back) or a purchase
    recorded against the wrong family, plots or date (given here, corrected with it). The old and new
    status are kept with who and why. Refused when the cocoa already left for lots in a way the new
    status cannot carry: a corrected origin once any of it is in a lot (take it out first), and a
    standard lost while a lot keeps it apart under that standard. The ledger follows.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certification is derived again.")})
    current = Delivery.objects.select_for_update().get(pk=delivery.pk)
    before = delivery_bought(current)
    old_plots = list(current.plots.order_by("code"))
    corrections = {}
    if producer is not None and producer.pk != current.producer_id:
        corrections["producer"] = [current.producer.code, producer.code]
        current.producer = producer
    if plots is not None:
        plots = list(plots)
        if {p.pk for p in plots} != {p.pk for p in old_plots}:
            corrections["plots"] = [[p.code for p in old_plots], sorted(p.code for p in plots)]
    if date is not None and date != current.date:
        corrections["date"] = [current.date.isoformat(), date.isoformat()]
        current.date = date
    if corrections and current.allocated_kg:
        raise ValidationError(
            {
                next(iter(corrections)): _(
                    "%(kg)s kg of this purchase are already in lots: take them out before correcting its family, "
                    "plots or date."
                )
                % {"kg": current.allocated_kg}
            }
        )
    new_plots = plots if "plots" in corrections else old_plots
    delivery_check_plots(producer=current.producer, plots=new_plots)
    current.full_clean()
    old_standards = list(current.certified_standards.order_by("code"))
    status, standards = certification_on(producer=current.producer, plots=new_plots, day=current.date)
    for check in RECERTIFICATION_CHECKS:
        check(current, {s.pk for s in standards})
    recertification = Recertification.objects.create(
        cooperative_id=current.cooperative_id,
        delivery=current,
        recorded_by=user,
        reason=reason,
        old_organic_status=current.organic_status,
        new_organic_status=status,
        old_standards=[s.code for s in old_standards],
        new_standards=sorted(s.code for s in standards),
        corrections=corrections,
    )
    current.organic_status = status
    current.save(update_fields=["organic_status", "producer", "date", "modified"])
    if "plots" in corrections:
        current.plots.set(new_plots)
    current.certified_standards.set(standards)
    _move_bought(current, before, field="reason")
    delivery.refresh_from_db()
    return recertification

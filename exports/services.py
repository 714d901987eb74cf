"""Writes about lots and shipments that touch more than one row."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Min
from django.utils.translation import gettext as _

from harvests.models import Delivery

from .models import Lot, LotAllocation


def lot_check_delivery(lot, delivery):
    """Refuse a delivery that may not enter this lot (another cooperative; unmapped cocoa in an EUDR lot)."""
    if delivery.cooperative_id != lot.cooperative_id:
        raise ValidationError({"delivery": _("This delivery belongs to another cooperative.")})
    if lot.eudr_segregated:
        unready = [plot.code for plot in delivery.plots.all() if not plot.eudr_ready]
        if unready or not delivery.plots.exists():
            raise ValidationError(
                {
                    "delivery": _(
                        "This lot is EUDR segregated and this delivery comes from plots that are not mapped "
                        "and assessed: %(plots)s."
                    )
                    % {"plots": ", ".join(unready) or _("no plot recorded")}
                }
            )


def _move_kg(delivery_id, kg):
    """Add `kg` (negative to give back) to what a delivery has allocated.

    The row lock and the database's check (allocated_kg <= dry_kg) together make
    two officers allocating the same delivery at once unable to over-allocate it.
    """
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    available = delivery.dry_kg - delivery.allocated_kg
    if kg > available:
        raise ValidationError(
            {
                "kg": _("Delivery %(receipt)s has %(available)s dry kg left to allocate; %(kg)s were asked for.")
                % {"receipt": delivery.receipt_number, "available": available, "kg": kg}
            }
        )
    try:
        with transaction.atomic():
            Delivery.objects.filter(pk=delivery_id).update(allocated_kg=F("allocated_kg") + kg)
    except IntegrityError:
        raise ValidationError({"kg": _("This would allocate more cocoa than the delivery brought.")}) from None


def _refresh_production_dates(lot):
    dates = LotAllocation.objects.filter(lot=lot).aggregate(start=Min("delivery__date"), end=Max("delivery__date"))
    Lot.objects.filter(pk=lot.pk).update(production_start=dates["start"], production_end=dates["end"])
    lot.production_start, lot.production_end = dates["start"], dates["end"]


@transaction.atomic
def lot_allocate(*, lot, delivery, kg):
    """Put `kg` dry kilograms of a delivery into a lot; returns the allocation."""
    kg = Decimal(kg)
    if kg <= 0:
        raise ValidationError({"kg": _("Allocate more than zero kilograms.")})
    lot_check_delivery(lot, delivery)
    _move_kg(delivery.pk, kg)
    allocation, created = LotAllocation.objects.get_or_create(
        lot=lot, delivery=delivery, defaults={"cooperative_id": lot.cooperative_id, "kg": kg}
    )
    if not created:
        LotAllocation.objects.filter(pk=allocation.pk).update(kg=F("kg") + kg)
        allocation.refresh_from_db(fields=["kg"])
    _refresh_production_dates(lot)
    return allocation


@transaction.atomic
def allocation_change(*, allocation, kg):
    """Set an allocation to `kg`, giving back or taking from its delivery."""
    kg = Decimal(kg)
    if kg <= 0:
        raise ValidationError({"kg": _("Allocate more than zero kilograms.")})
    current = LotAllocation.objects.select_for_update().get(pk=allocation.pk)
    _move_kg(current.delivery_id, kg - current.kg)
    LotAllocation.objects.filter(pk=current.pk).update(kg=kg)
    allocation.kg = kg
    return allocation


@transaction.atomic
def allocation_remove(*, allocation):
    current = LotAllocation.objects.select_for_update().get(pk=allocation.pk)
    _move_kg(current.delivery_id, -current.kg)
    current.delete()
    _refresh_production_dates(current.lot)

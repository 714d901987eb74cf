"""Writes about lots and shipments that touch more than one row."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from cooperatives.arithmetic import added
from cooperatives.seasons import season_of
from harvests.ledger import BOUGHT, LOTS, SOLD, balance_move, standard_names
from harvests.models import CertifiedBalance, Delivery

from .models import Lot, LotAllocation, Shipment, ShipmentLot
from .selectors import apportion, ledger_figures

# Standards whose cocoa may be sold under mass balance, and how a lot says it does so: Fairtrade
# allows it for cocoa (Lot.fairtrade_mode); any other standard a lot claims is kept physically apart.
MASS_BALANCE = {"fairtrade": ("fairtrade_mode", Lot.FairtradeMode.MASS_BALANCE)}


def claims_difference(after, before):
    return {key: after.get(key, 0) - before.get(key, 0) for key in {*after, *before}}


def balance_rebuild(*, cooperative):
    """Count the ledger again from the deliveries, lots and shipments (rows written in bulk, not by the services).

    Returns the rows written. Refused as a whole if some season already claims more than it bought.
    """
    figures = ledger_figures(cooperative)
    with transaction.atomic():
        CertifiedBalance.objects.filter(cooperative=cooperative).delete()
        rows = [
            CertifiedBalance(cooperative=cooperative, standard_id=s, season=season, **values)
            for (s, season), values in sorted(figures.items())
        ]
        try:
            with transaction.atomic():
                CertifiedBalance.objects.bulk_create(rows)
        except IntegrityError:
            names = standard_names({s for s, _season in figures})
            over = [
                _("%(standard)s %(season)s (bought %(bought)s, lots claim %(lots)s, shipments %(sold)s)")
                % {"standard": names[s], "season": season, "bought": v[BOUGHT], "lots": v[LOTS], "sold": v[SOLD]}
                for (s, season), v in sorted(figures.items())
                if max(v[LOTS], v[SOLD]) > v[BOUGHT]
            ]
            raise ValidationError(
                _("These standards and seasons claim more than was bought: %(keys)s.") % {"keys": "; ".join(over)}
            ) from None
    return rows


# Lots


def lot_segregated_standards(lot, standards=None, fairtrade_mode=None):
    """The standards a lot claims that only certified cocoa may carry (all but those under mass balance)."""
    standards = list(lot.standards.all()) if standards is None else list(standards)
    mode = lot.fairtrade_mode if fairtrade_mode is None else fairtrade_mode
    segregated = []
    for standard in standards:
        rule = MASS_BALANCE.get(standard.code)
        if rule is None or mode != rule[1]:
            segregated.append(standard)
    return segregated


def lot_check_delivery(lot, delivery, standards=None, fairtrade_mode=None):
    """Refuse a delivery that may not enter this lot.

    Another cooperative's; unmapped cocoa in an EUDR lot; cocoa not certified under a standard
    the lot claims, unless the lot claims it under mass balance.
    """
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
    certified = set(delivery.certified_standards.values_list("pk", flat=True))
    missing = [s.name for s in lot_segregated_standards(lot, standards, fairtrade_mode) if s.pk not in certified]
    if missing:
        raise ValidationError(
            {
                "delivery": _(
                    "Lot %(lot)s claims %(standards)s and delivery %(receipt)s was not certified so on its date: "
                    "only certified cocoa enters a lot that keeps it apart."
                )
                % {"lot": lot.code, "standards": ", ".join(missing), "receipt": delivery.receipt_number}
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
            Delivery.objects.filter(pk=delivery_id).update(allocated_kg=added(Delivery, "allocated_kg", kg))
    except IntegrityError:
        raise ValidationError({"kg": _("This would allocate more cocoa than the delivery brought.")}) from None
    return delivery


def _refresh_production_dates(lot):
    dates = LotAllocation.objects.filter(lot=lot).aggregate(start=Min("delivery__date"), end=Max("delivery__date"))
    Lot.objects.filter(pk=lot.pk).update(production_start=dates["start"], production_end=dates["end"])
    lot.production_start, lot.production_end = dates["start"], dates["end"]


def _lock_lot(lot):
    """The lot's row, locked: what it claims cannot change under a writer that counts its claims."""
    return Lot.objects.select_for_update().get(pk=lot.pk)


def lot_claims(lot, standards=None):
    """What a lot claims, as the ledger counts it: {(standard id, season of the purchase): dry kg}.

    `standards` (ids) for what it would claim under others than its own.
    """
    standards = list(lot.standards.values_list("pk", flat=True) if standards is None else standards)
    claims = {}
    for row in (
        LotAllocation.objects.filter(lot_id=lot.pk)
        .annotate(season=ExtractYear("delivery__date"))
        .values("season")
        .annotate(kg=Sum("kg"))
        .order_by()
    ):
        for standard in standards:
            claims[(standard, row["season"])] = row["kg"]
    return claims


def lot_check_claims(lot, standards, fairtrade_mode):
    """Refuse standards a lot's cocoa cannot carry: each one kept apart needs every allocation certified so."""
    if lot.pk is None:
        return
    for standard in lot_segregated_standards(lot, standards, fairtrade_mode):
        receipts = list(
            LotAllocation.objects.filter(lot_id=lot.pk)
            .exclude(delivery__certified_standards=standard)
            .order_by("delivery__receipt_number")
            .values_list("delivery__receipt_number", flat=True)[:10]
        )
        if receipts:
            raise ValidationError(
                {
                    "standards": _(
                        "Lot %(lot)s cannot claim %(standard)s: it holds cocoa of deliveries not certified so "
                        "(%(receipts)s). Claim it under mass balance, or take them out first."
                    )
                    % {"lot": lot.code, "standard": str(standard), "receipts": ", ".join(receipts)}
                }
            )


def _claim_allocation(lot, delivery, kg):
    moves = {(s, season_of(delivery.date)): kg for s in lot.standards.values_list("pk", flat=True)}
    balance_move(cooperative_id=lot.cooperative_id, column=LOTS, moves=moves, field="kg")


@transaction.atomic
def lot_allocate(*, lot, delivery, kg):
    """Put `kg` dry kilograms of a delivery into a lot; returns the allocation."""
    kg = Decimal(kg)
    if kg <= 0:
        raise ValidationError({"kg": _("Allocate more than zero kilograms.")})
    _lock_lot(lot)
    lot_check_delivery(lot, delivery)
    _move_kg(delivery.pk, kg)
    _claim_allocation(lot, delivery, kg)
    with _ShipmentsOfLot(lot):
        allocation, created = LotAllocation.objects.get_or_create(
            lot=lot, delivery=delivery, defaults={"cooperative_id": lot.cooperative_id, "kg": kg}
        )
        if not created:
            LotAllocation.objects.filter(pk=allocation.pk).update(kg=added(LotAllocation, "kg", kg))
            allocation.refresh_from_db(fields=["kg"])
    _refresh_production_dates(lot)
    return allocation


@transaction.atomic
def allocation_change(*, allocation, kg):
    """Set an allocation to `kg`, giving back or taking from its delivery."""
    kg = Decimal(kg)
    if kg <= 0:
        raise ValidationError({"kg": _("Allocate more than zero kilograms.")})
    lot = _lock_lot(allocation.lot)
    current = LotAllocation.objects.select_for_update().get(pk=allocation.pk)
    delivery = _move_kg(current.delivery_id, kg - current.kg)
    _claim_allocation(lot, delivery, kg - current.kg)
    with _ShipmentsOfLot(lot):
        LotAllocation.objects.filter(pk=current.pk).update(kg=kg)
    allocation.kg = kg
    return allocation


@transaction.atomic
def allocation_remove(*, allocation):
    lot = _lock_lot(allocation.lot)
    current = LotAllocation.objects.select_for_update().get(pk=allocation.pk)
    delivery = _move_kg(current.delivery_id, -current.kg)
    _claim_allocation(lot, delivery, -current.kg)
    with _ShipmentsOfLot(lot):
        current.delete()
    _refresh_production_dates(current.lot)


@transaction.atomic
def lot_delete(*, lot):
    """Delete a lot, each allocation giving its kilograms back to its delivery and its claims to the ledger."""
    for allocation in LotAllocation.objects.filter(lot=lot).select_related("lot"):
        allocation_remove(allocation=allocation)
    lot.delete()


def lot_claims_begin(lot):
    """Lock a lot about to change what it claims, and say what it claims now (for lot_claims_settle)."""
    if lot.pk is None:
        return {}
    _lock_lot(lot)
    return lot_claims(lot)


@transaction.atomic
def lot_claims_settle(*, lot, before):
    """After a lot's standards or Fairtrade mode were saved (in this transaction, `before` from lot_claims_begin).

    Every allocation must be certified under each standard the lot keeps apart; the shipments
    carrying the lot may only claim what it claims (or Fairtrade under mass balance); and the
    ledger takes the difference, refusing a claim beyond the certified kg bought.
    """
    lot.refresh_from_db(fields=["fairtrade_mode"])
    lot_check_claims(lot, lot.standards.all(), lot.fairtrade_mode)
    for shipment in Shipment.objects.filter(shipment_lots__lot=lot).distinct():
        shipment_check_lots(shipment, field="standards")
    moves = claims_difference(lot_claims(lot), before)
    balance_move(cooperative_id=lot.cooperative_id, column=LOTS, moves=moves, field="standards")


@transaction.atomic
def lot_save(*, lot, save):
    """Create or change a lot with `save()`, which writes what a form or a serializer holds (the lot, its
    standards) and returns the lot: the stored lot locked and its claims read before (lot_claims_begin), the
    claims checked and the ledger moved by the difference after (lot_claims_settle). The admin and the API
    save a lot through here; `lot` is None, or not yet saved, for a new one."""
    before = lot_claims_begin(lot) if lot is not None else {}
    saved = save()
    lot_claims_settle(lot=saved, before=before)
    return saved


@transaction.atomic
def lot_set_claims(*, lot, standards, fairtrade_mode):
    """Change the standards a lot claims and its Fairtrade mode, through lot_claims_settle."""
    before = lot_claims_begin(lot)
    lot.fairtrade_mode = fairtrade_mode
    lot.full_clean()
    lot.save(update_fields=["fairtrade_mode", "modified"])
    lot.standards.set(standards)
    lot_claims_settle(lot=lot, before=before)
    return lot


# Shipments


def shipment_seasons(shipment):
    """The seasons a shipment sells from: its lots' kg by the season of their purchases, else the season it departs."""
    weights = {}
    # A shipment not saved yet has no lots (filtering on a pk of None would read every unshipped lot's).
    if shipment.pk is not None:
        weights = {
            row["season"]: row["kg"]
            for row in LotAllocation.objects.filter(lot__shipment_lots__shipment_id=shipment.pk)
            .values(season=ExtractYear("delivery__date"))
            .annotate(kg=Sum("kg"))
            .order_by()
            if row["kg"]
        }
    if not weights and shipment.departure_date is not None:
        weights = {season_of(shipment.departure_date): Decimal(1)}
    return weights


def shipment_claims(shipment, standards=None):
    """What a shipment claims: its whole net kg under each standard it claims.

    Sold from the seasons its cocoa was bought in (in proportion to its lots' kg of each), so that
    December's cocoa shipped in January is sold out of December's season; a shipment without lots
    yet sells from the season it departs. `standards` (ids) for what it would claim under others
    than its own; nothing when it has no season to sell from (shipment_departure_needed).
    """
    if standards is None:
        standards = list(shipment.certifications_claimed.values_list("pk", flat=True)) if shipment.pk else []
    weights = shipment_seasons(shipment) if standards else {}
    if not weights:
        return {}
    shares = apportion(shipment.net_kg, weights)
    return {(s, season): kg for s in standards for season, kg in shares.items()}


def shipment_departure_needed():
    """The refusal of a claim by a shipment that has neither lots nor a departure date: no season to sell from."""
    return ValidationError(
        {
            "departure_date": _(
                "A shipment without lots sells its certified kg in the season it departs: give its (planned) "
                "departure date."
            )
        }
    )


class _ShipmentsOfLot:
    """Keeps the ledger's sales right when a shipped lot's kg or seasons change (its shipments sell from them)."""

    def __init__(self, lot):
        self.lot = lot

    def __enter__(self):
        self.shipments = list(
            Shipment.objects.select_for_update()
            .filter(pk__in=ShipmentLot.objects.filter(lot_id=self.lot.pk).values("shipment_id"))
            .order_by("pk")
        )
        self.before = {shipment.pk: shipment_claims(shipment) for shipment in self.shipments}
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            return False
        for shipment in self.shipments:
            balance_move(
                cooperative_id=shipment.cooperative_id,
                column=SOLD,
                moves=claims_difference(shipment_claims(shipment), self.before[shipment.pk]),
                field="kg",
            )
        return False


def _lot_falls_short(lot, standard):
    rule = MASS_BALANCE.get(standard.code)
    return standard not in lot.standards.all() and not (rule and getattr(lot, rule[0]) == rule[1])


def _lots_short(shipment, standard, lots):
    return _(
        "Shipment %(shipment)s claims %(standard)s but its lots %(lots)s do not: a shipment claims only what its "
        "lots claim."
    ) % {"shipment": shipment.number, "standard": str(standard), "lots": ", ".join(sorted(lots))}


def shipment_check_lots(shipment, field="certifications_claimed"):
    """A shipment claims a standard only if each of its lots claims it (Fairtrade: or uses mass balance)."""
    claimed = list(shipment.certifications_claimed.all())
    if not claimed:
        return
    lots = list(Lot.objects.filter(shipment_lots__shipment=shipment).prefetch_related("standards").distinct())
    for standard in claimed:
        short = [lot.code for lot in lots if _lot_falls_short(lot, standard)]
        if short:
            raise ValidationError({field: _lots_short(shipment, standard, short)})


def shipment_check_lot(shipment, lot, field="lot"):
    """A lot put on a shipment claims what the shipment claims."""
    for standard in shipment.certifications_claimed.all():
        if _lot_falls_short(lot, standard):
            raise ValidationError({field: _lots_short(shipment, standard, [lot.code])})


def shipment_claims_begin(shipment):
    """Lock a shipment about to change, and say what it claims now (for shipment_claims_settle)."""
    if shipment.pk is None:
        return {}
    locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
    return shipment_claims(locked)


@transaction.atomic
def shipment_claims_settle(*, shipment, before):
    """After a shipment, its claims or its lots were saved (in this transaction, `before` from shipment_claims_begin).

    A shipment that claims a standard needs its departure date (its season) and lots that claim
    it; the ledger takes the difference, refusing to sell more certified kg than were bought.
    """
    shipment.refresh_from_db(fields=["departure_date", "net_kg"])
    if shipment.certifications_claimed.exists() and not shipment_seasons(shipment):
        raise shipment_departure_needed()
    shipment_check_lots(shipment)
    moves = claims_difference(shipment_claims(shipment), before)
    balance_move(cooperative_id=shipment.cooperative_id, column=SOLD, moves=moves, field="certifications_claimed")


@transaction.atomic
def shipment_save(*, shipment, save):
    """Create or change a shipment with `save()`, which writes what a form or a serializer holds (the shipment,
    its claims, in the admin its lots and containers) and returns it, between shipment_claims_begin and
    shipment_claims_settle: the ledger sells the difference. `shipment` is None, or unsaved, for a new one."""
    before = shipment_claims_begin(shipment) if shipment is not None else {}
    saved = save()
    shipment_claims_settle(shipment=saved, before=before)
    return saved


@transaction.atomic
def shipment_set_claims(*, shipment, standards):
    """Change the standards a shipment claims, through shipment_claims_settle."""
    before = shipment_claims_begin(shipment)
    shipment.certifications_claimed.set(standards)
    shipment_claims_settle(shipment=shipment, before=before)
    return shipment


@transaction.atomic
def shipment_delete(*, shipment):
    """Delete a shipment, giving back to the ledger what it claimed."""
    before = shipment_claims_begin(shipment)
    balance_move(
        cooperative_id=shipment.cooperative_id,
        column=SOLD,
        moves={key: -kg for key, kg in before.items()},
        field="certifications_claimed",
    )
    shipment.delete()


# Purchases


def lots_keep_certification(delivery, standard_ids):
    """A lot that keeps a standard apart holds only cocoa certified under it."""
    for allocation in delivery.allocations.select_related("lot").prefetch_related("lot__standards"):
        lost = [s.name for s in lot_segregated_standards(allocation.lot) if s.pk not in standard_ids]
        if lost:
            raise ValidationError(
                {
                    "reason": _(
                        "Lot %(lot)s holds %(kg)s kg of this purchase as %(standards)s: take them out of the lot "
                        "before the purchase loses that certification."
                    )
                    % {"lot": allocation.lot.code, "kg": allocation.kg, "standards": ", ".join(lost)}
                }
            )

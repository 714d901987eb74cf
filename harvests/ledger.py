"""The certified mass balance's ledger (CertifiedBalance): per standard and season, the certified kg bought, and
those lots and shipments claim. Purchases add to it (harvests.services), lots and shipments claim from it
(exports.services); each through balance_move, in the transaction that writes the rows it counts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certifications.models import Standard, standard_name
from cooperatives.arithmetic import added

from .models import CertifiedBalance

ZERO = Decimal("0.00")
# The ledger's columns, and who claims under each.
BOUGHT, LOTS, SOLD = "bought_kg", "lots_claimed_kg", "sold_kg"


def standard_names(ids):
    """The standards' names, as the reader's language says them (for the messages below)."""
    return {pk: standard_name(name) for pk, name in Standard.objects.filter(pk__in=ids).values_list("pk", "name")}


def _refusal(row, column, kg, name):
    """Why moving `kg` in `column` of a ledger row would break the balance, or None."""
    new = getattr(row, column) + kg
    params = {"standard": name, "season": row.season, "bought": row.bought_kg}
    if column == BOUGHT and new < max(row.lots_claimed_kg, row.sold_kg):
        params.update(bought=new, claimed=max(row.lots_claimed_kg, row.sold_kg))
        return (
            _(
                "%(standard)s, season %(season)s: lots and shipments already claim %(claimed)s kg, so the "
                "certified kg bought cannot fall to %(bought)s."
            )
            % params
        )
    if column != BOUGHT and kg > 0 and new > row.bought_kg:
        params.update(claimed=new, left=row.bought_kg - getattr(row, column))
        if column == LOTS:
            message = _(
                "%(standard)s, season %(season)s: lots would claim %(claimed)s kg but only %(bought)s certified "
                "kg were bought (%(left)s kg left to claim)."
            )
        else:
            message = _(
                "%(standard)s, season %(season)s: shipments would claim %(claimed)s kg but only %(bought)s "
                "certified kg were bought (%(left)s kg left to sell)."
            )
        return message % params
    return None


def _ledger_rows(cooperative_id, moves, lock):
    rows = CertifiedBalance.objects.filter(
        cooperative_id=cooperative_id,
        standard_id__in={s for s, _season in moves},
        season__in={season for _s, season in moves},
    ).order_by("standard_id", "season")
    if lock:
        rows = rows.select_for_update()
    found = {(row.standard_id, row.season): row for row in rows}
    for s, season in moves:
        found.setdefault(
            (s, season),
            CertifiedBalance(
                cooperative_id=cooperative_id,
                standard_id=s,
                season=season,
                bought_kg=ZERO,
                lots_claimed_kg=ZERO,
                sold_kg=ZERO,
            ),
        )
    return found


def balance_check(*, cooperative_id, column, moves, field):
    """Refuse (ValidationError on `field`) what balance_move would refuse, without writing: for forms."""
    moves = {key: kg for key, kg in moves.items() if kg}
    if not moves:
        return
    rows, names = _ledger_rows(cooperative_id, moves, lock=False), standard_names({s for s, _season in moves})
    for key in sorted(moves):
        message = _refusal(rows[key], column, moves[key], names[key[0]])
        if message:
            raise ValidationError({field: message})


def balance_move(*, cooperative_id, column, moves, field):
    """Add to one column of the ledger the kg of `moves` ({(standard id, season): kg}, negative to take back).

    The rows are locked in one order (no deadlock between two writers), checked for a clear
    message, then changed by the database (cooperatives.arithmetic.added) so that its checks
    (claimed <= bought) hold even for a writer that did not lock. A refusal is a ValidationError on `field`.
    """
    moves = {key: kg for key, kg in moves.items() if kg}
    if not moves:
        return
    CertifiedBalance.objects.bulk_create(
        [CertifiedBalance(cooperative_id=cooperative_id, standard_id=s, season=season) for s, season in moves],
        ignore_conflicts=True,
    )
    rows, names = _ledger_rows(cooperative_id, moves, lock=True), standard_names({s for s, _season in moves})
    for key in sorted(moves):
        row, kg = rows[key], moves[key]
        message = _refusal(row, column, kg, names[key[0]])
        if message:
            raise ValidationError({field: message})
        try:
            with transaction.atomic():
                CertifiedBalance.objects.filter(pk=row.pk).update(**{column: added(CertifiedBalance, column, kg)})
        except IntegrityError:
            raise ValidationError(
                {
                    field: _("%(standard)s, season %(season)s: this would claim more than was bought.")
                    % {"standard": names[key[0]], "season": key[1]}
                }
            ) from None

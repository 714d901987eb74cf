"""Writes of the premium: money in from shipments, votes of the assembly, money out to projects.

Every receipt and spending locks the cooperative's PremiumAccount row and moves its balance with
an update the database adds (cooperatives.arithmetic.added); it refuses a negative balance. The
lock makes two spendings at once wait for each other, so the second sees what the first took.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.arithmetic import added

from . import selectors
from .models import ZERO, PremiumAccount, PremiumReceipt, PremiumSpending, ProjectApproval


def _amount(value, field="amount_usd"):
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in US dollars, e.g. 1250.00.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("Enter an amount greater than zero.")})
    return amount


def _not_in_future(day, field):
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _locked_account(cooperative_id):
    """The cooperative's premium account, locked until the transaction ends (made on first use)."""
    PremiumAccount.objects.get_or_create(cooperative_id=cooperative_id)
    return PremiumAccount.objects.select_for_update().get(cooperative_id=cooperative_id)


def _move_balance(account, amount):
    try:
        with transaction.atomic():
            PremiumAccount.objects.filter(pk=account.pk).update(
                balance_usd=added(PremiumAccount, "balance_usd", amount), modified=timezone.now()
            )
    except IntegrityError:
        raise ValidationError({"amount_usd": _("This would take the premium held below zero.")}) from None


@transaction.atomic
def premium_receive(*, shipment, received_on, amount_usd, reference):
    """Record premium paid for a Fairtrade shipment; never more than the shipment owes."""
    amount = _amount(amount_usd)
    _not_in_future(received_on, "received_on")
    account = _locked_account(shipment.cooperative_id)
    due = selectors.premium_owed(shipment)
    if due is None:
        raise ValidationError({"shipment": _("Shipment %(number)s does not claim Fairtrade.") % {"number": shipment}})
    if due.owed_usd is None:
        raise ValidationError(
            {
                "shipment": _(
                    "No Fairtrade reference price was in force on %(date)s, when the contract of shipment "
                    "%(number)s was signed: add it under Reference prices first."
                )
                % {"date": due.priced_on.isoformat(), "number": shipment}
            }
        )
    if amount > due.outstanding_usd:
        raise ValidationError(
            {
                "amount_usd": _(
                    "Shipment %(number)s owes %(owed)s USD of premium and %(received)s have been received: "
                    "%(outstanding)s USD are outstanding, %(amount)s were entered."
                )
                % {
                    "number": shipment,
                    "owed": due.owed_usd,
                    "received": due.received_usd,
                    "outstanding": due.outstanding_usd,
                    "amount": amount,
                }
            }
        )
    receipt = PremiumReceipt(
        cooperative_id=shipment.cooperative_id,
        shipment=shipment,
        received_on=received_on,
        amount_usd=amount,
        reference=reference,
    )
    receipt.full_clean()
    receipt.save()
    _move_balance(account, amount)
    return receipt


@transaction.atomic
def project_approve(*, project, assembly, votes_for, votes_against=0, abstentions=0):
    """Record the General Assembly's vote that approves a project; a vote without a majority approves nothing."""
    if ProjectApproval.objects.filter(project=project).exists():
        raise ValidationError({"project": _("%(project)s is approved already.") % {"project": project}})
    if assembly.date > timezone.localdate():
        raise ValidationError({"assembly": _("This General Assembly has not taken place yet.")})
    approval = ProjectApproval(
        cooperative_id=project.cooperative_id,
        project=project,
        assembly=assembly,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
    )
    approval.full_clean()
    approval.save()
    return approval


@transaction.atomic
def premium_spend(*, project, date, amount_usd, description, receipt_number):
    """Spend premium on an approved project, within its budget and the premium held."""
    amount = _amount(amount_usd)
    _not_in_future(date, "date")
    account = _locked_account(project.cooperative_id)
    approval = ProjectApproval.objects.select_related("assembly").filter(project=project).first()
    if approval is None:
        raise ValidationError(
            {
                "project": _("%(project)s has not been approved by a General Assembly: no premium may be spent on it.")
                % {"project": project}
            }
        )
    if date < approval.assembly.date:
        raise ValidationError(
            {
                "date": _("%(project)s was approved on %(approved)s: it cannot be spent on before.")
                % {"project": project, "approved": approval.assembly.date.isoformat()}
            }
        )
    spent = PremiumSpending.objects.filter(cooperative_id=project.cooperative_id).aggregate(
        everything=Coalesce(Sum("amount_usd"), ZERO),
        on_project=Coalesce(Sum("amount_usd", filter=Q(project=project)), ZERO),
    )
    left = project.budget_usd - spent["on_project"]
    if amount > left:
        raise ValidationError(
            {
                "amount_usd": _("%(project)s has %(left)s USD of its budget left; %(amount)s were asked for.")
                % {"project": project, "left": left, "amount": amount}
            }
        )
    # What was received up to the spending's date, less everything spent: a spending dated back
    # can never have spent premium that had not yet arrived. Never more than the balance, since
    # the balance is everything received less everything spent.
    received = PremiumReceipt.objects.filter(cooperative_id=project.cooperative_id, received_on__lte=date).aggregate(
        total=Coalesce(Sum("amount_usd"), ZERO)
    )["total"]
    held = received - spent["everything"]
    if amount > held:
        raise ValidationError(
            {
                "amount_usd": _(
                    "The cooperative holds %(held)s USD of premium for spending on %(date)s; %(amount)s were asked for."
                )
                % {"held": max(held, ZERO), "date": date.isoformat(), "amount": amount}
            }
        )
    spending = PremiumSpending(
        cooperative_id=project.cooperative_id,
        project=project,
        date=date,
        amount_usd=amount,
        description=description,
        receipt_number=receipt_number,
    )
    spending.full_clean()
    spending.save()
    _move_balance(account, -amount)
    return spending

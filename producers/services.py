"""Writes about member families that touch more than one row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Producer, ProducerStatusChange

Status = Producer.Status

# Where a family's membership may go from each status.
TRANSITIONS = {
    Status.APPLICANT: {Status.ACTIVE, Status.WITHDRAWN},
    Status.ACTIVE: {Status.SUSPENDED, Status.WITHDRAWN},
    Status.SUSPENDED: {Status.ACTIVE, Status.WITHDRAWN},
    Status.WITHDRAWN: {Status.APPLICANT},
}


def check_status_change(*, from_status, to_status):
    """Refuse a step the membership rules do not allow (ValidationError on "status")."""
    if to_status == from_status:
        raise ValidationError({"status": _("The family already has this status.")})
    if to_status not in TRANSITIONS[Status(from_status)]:
        raise ValidationError(
            {
                "status": _("A family cannot go from %(from)s to %(to)s.")
                % {"from": Status(from_status).label, "to": Status(to_status).label}
            }
        )


@transaction.atomic
def producer_change_status(*, producer, to_status, effective_date=None, reason="", changed_by=None, from_status=None):
    """Move a family to another membership status and keep the step in its history.

    `from_status` is the status the caller saw (a form's initial value); it
    defaults to the stored one.
    """
    locked = Producer.objects.select_for_update().get(pk=producer.pk)
    from_status = from_status or locked.status
    check_status_change(from_status=from_status, to_status=to_status)
    change = ProducerStatusChange(
        cooperative_id=locked.cooperative_id,
        producer=locked,
        from_status=from_status,
        to_status=to_status,
        effective_date=effective_date or timezone.localdate(),
        reason=reason,
        changed_by=changed_by,
    )
    change.full_clean()
    change.save()
    locked.status = to_status
    locked.save(update_fields=["status", "modified"])
    producer.status = to_status
    return change

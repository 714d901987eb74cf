"""Writes about member families that touch more than one row, and the member code a new family gets."""

import itertools
import re

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


# Member codes: a prefix and a number, as cooperatives number their members (ALL-0001, S-120, 2024-015).
MEMBER_CODE = re.compile(r"(.*?)(\d+)")
# A cooperative with no coded family yet starts from its own code's first letters, 4 digits (allima: ALL-0001).
FIRST_CODE_WIDTH = 4


def member_codes_next(*, cooperative, taken=()):
    """The member codes that come next in `cooperative`'s pattern, one after another (an endless iterator).

    The pattern is that of most of its codes (those of the families, and `taken`: codes about to be
    used, such as a file's own): their prefix, and their zero padding if they have one. The first
    code follows the highest number in use with that prefix, so no code in use or in `taken` comes
    out, and none comes out twice. Two people registering a family at the same moment get the same
    suggestion; the unique member code of the cooperative refuses the second.
    """
    codes = [*Producer.objects.for_cooperative(cooperative).order_by("pk").values_list("code", flat=True), *taken]
    counted = {}  # prefix: [how many codes, the place of its last code, highest number, widest padding]
    for place, code in enumerate(codes):
        match = MEMBER_CODE.fullmatch(code or "")
        if match is None:
            continue
        prefix, digits = match.groups()
        seen = counted.setdefault(prefix, [0, 0, 0, 0])
        seen[0] += 1
        seen[1] = place
        seen[2] = max(seen[2], int(digits))
        if digits.startswith("0"):
            seen[3] = max(seen[3], len(digits))
    if counted:
        # The prefix most codes have; between as many, the one used last.
        prefix, (_count, _last, highest, width) = max(counted.items(), key=lambda item: item[1][:2])
    else:
        letters = "".join(c for c in cooperative.code if c.isalpha())[:3].upper()
        prefix, highest, width = f"{letters}-" if letters else "", 0, FIRST_CODE_WIDTH
    return (f"{prefix}{number:0{width}d}" for number in itertools.count(highest + 1))

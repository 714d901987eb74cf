"""The roles people have in a cooperative, as Django groups (created by migration 0003).

A role says what a person may do; their memberships say in which cooperatives.
"""

MANAGER = "cooperative manager"
FIELD_OFFICER = "field officer"
PARTNER = "partner"
AUDITOR = "auditor"

ALL = (MANAGER, FIELD_OFFICER, PARTNER, AUDITOR)


def sees_personal_data(user):
    """Whether a login sees members' DNIs, phones and households: the cooperatives' staff do, partners not.

    The API asks it of a login (cooperatives.api.permissions.sees_personal_data, where a partner's key
    decides instead); the admin and the pages, which know no keys, ask it directly.
    """
    if user.is_superuser:
        return True
    # Asked by every column and field of a page: read once per user object, as a request loads it afresh.
    sees = getattr(user, "_minka_sees_personal_data", None)
    if sees is None:
        sees = not user.groups.filter(name=PARTNER).exists()
        user._minka_sees_personal_data = sees
    return sees

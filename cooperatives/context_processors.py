from .pages import MASS_BALANCE_READERS, READERS, has_role


def pages(request):
    """What the layout needs: whether the user may open the pages (partners use the API), and the
    certified mass balance (managers and auditors: exports.views.MassBalanceView)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "page_user": signed_in and has_role(user, READERS),
        "mass_balance_user": signed_in and has_role(user, MASS_BALANCE_READERS),
    }

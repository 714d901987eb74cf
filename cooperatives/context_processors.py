from .pages import READERS, has_role


def pages(request):
    """What the layout needs: whether the user may open the pages (partners use the API)."""
    user = getattr(request, "user", None)
    return {"page_user": bool(user and user.is_authenticated and has_role(user, READERS))}

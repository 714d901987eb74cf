"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

urlpatterns = []

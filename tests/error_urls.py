"""Minka's URLs and one page that fails, to see the 500 page as a user would."""

from django.db import OperationalError
from django.urls import path

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as minka_urlpatterns


def fails(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [path("fails/", fails), *minka_urlpatterns]

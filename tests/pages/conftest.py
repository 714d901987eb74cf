"""What the page tests share: a browser asking for English, the source language messages are asserted in."""

import pytest
from django.test import Client


@pytest.fixture
def client():
    """A browser that asks for English (a test about Spanish asks for it itself)."""
    return Client(headers={"Accept-Language": "en"})

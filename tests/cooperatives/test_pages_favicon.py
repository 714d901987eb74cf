"""/favicon.ico, which browsers and tools ask for by themselves, answers Minka's icon."""

from django.test import Client


def test_favicon_ico_leads_to_minkas_icon_with_debug_off(settings):
    settings.DEBUG = False
    client = Client()

    response = client.get("/favicon.ico")
    icon = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/static/minka/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)

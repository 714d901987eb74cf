"""The OpenAPI description of /api/v1/ is valid and served, and its docs pages load nothing from another site."""

import re

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS

# src= and href= of the tags that make a browser fetch something (not <a>, which is only a link).
FETCHED = re.compile(r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)[\"']", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _no_throttling_across_tests():
    cache.clear()


def test_the_schema_validates_without_a_single_warning(tmp_path, capsys):
    GENERATOR_STATS.reset()  # warnings of an earlier generation in this process are not this one's
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    except Exception as error:
        warnings = "\n".join(GENERATOR_STATS._warn_cache)  # printed once per process: maybe not to this test
        pytest.fail(f"{error!r}\n{warnings}\n{capsys.readouterr().err}")
    assert "Warning" not in capsys.readouterr().err
    assert yaml.safe_load((tmp_path / "schema.yaml").read_text())["openapi"].startswith("3.")


@pytest.mark.django_db
def test_the_schema_endpoint_answers_openapi_3_to_anyone():
    response = Client().get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Minka API"
    assert "/api/v1/producers/" in schema["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_load_their_scripts_and_styles_from_our_own_static_files(url):
    client = Client()
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    fetched = FETCHED.findall(html)
    assert fetched, f"{url} loads no script or style at all:\n{html[:500]}"
    assert [u for u in fetched if re.match(r"(?i)(https?:)?//", u)] == [], f"{url} loads from another site"
    assert not re.search(r"(?i)@import\s+url\(\s*['\"]?(https?:)?//", html)
    for asset in fetched:
        assert asset.startswith(settings.STATIC_URL), f"{url} loads {asset} from outside {settings.STATIC_URL}"
        served = client.get(asset)
        assert served.status_code == 200, f"{url} needs {asset}, which answers {served.status_code}"
        served.close()

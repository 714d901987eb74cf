"""A GPS file whose plot crosses itself is refused as it is read, by the plot's name, with the rules a plot is
saved with (plots.geometry): in the plot editor (the file read for the map, or sent with the form) and at the top
of the geometry import's preview. Not "read" first and refused on save, far below.

The files are the team's walk around Chacra La Loma and QGIS export (tests/fixtures/README.md), with two
positions in the wrong order, as a GPS logger or a hand-edited file gives them.
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plots.models import Plot
from tests import factories
from tests.html import text_of
from tests.import_files import _stash_in_tmp  # noqa: F401 (an autouse fixture)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# What the officer reads, as soon as the file is read.
CROSSED_WALK_MESSAGE = (
    "The plot “Chacra La Loma” in walk.gpx cannot be saved as it is. This polygon's sides cross or touch each "
    "other near longitude -76.1378263131111, latitude -6.57286083117142. Correct it in the GPS or phone app and "
    "upload it again, or draw the plot on the map."
)


def crossed_walk():
    """The walk around Chacra La Loma with its 9th and 10th positions logged in the wrong order."""
    text = (FIXTURES / "minka/chacra_la_loma_walk.gpx").read_text()
    points = re.findall(r"<trkpt .*?</trkpt>", text)
    ninth, tenth = points[8], points[9]
    return SimpleUploadedFile("walk.gpx", text.replace(f"{ninth}\n{tenth}", f"{tenth}\n{ninth}").encode())


@pytest.fixture
def family(coop):
    return factories.ProducerFactory(cooperative=coop)


def test_the_editor_reading_the_file_for_the_map_says_the_plot_crosses_itself(client, coop, field_officer):
    client.force_login(field_officer)

    response = client.post(reverse("plot_read_file", args=[coop.code]), {"gps_file": crossed_walk()})

    assert response.status_code == 400
    assert response.json() == {"errors": [CROSSED_WALK_MESSAGE]}


def test_the_file_sent_with_the_form_is_refused_on_the_file_not_the_drawing_and_nothing_is_saved(
    client, coop, family, field_officer
):
    client.force_login(field_officer)
    data = {
        "code": "P-0200",
        "crop": "cocoa",
        "declared_area_ha": "1.9",
        "tenure": "possession",
        "district": "220904",
        "gps_file": crossed_walk(),
    }

    response = client.post(reverse("plot_create", args=[coop.code, family.pk]), data)

    form = response.context["form"]
    assert response.status_code == 200
    assert (form.errors.get("gps_file"), form.errors.get("geometry"), form.notes) == (
        [CROSSED_WALK_MESSAGE],
        None,
        [],
    )
    assert Plot.objects.count() == 0


def test_the_geometry_import_names_the_crossing_plot_at_the_top_of_its_preview(client, coop, family, manager):
    factories.PlotFactory(producer=family, code="AV-001-1", name="La Loma", geometry=None)
    factories.PlotFactory(producer=family, code="AV-001-2", name="El Bajo", geometry=None, declared_area_ha="2")
    factories.PlotFactory(producer=family, code="AV-002-1", name="Shimbillo", geometry=None, declared_area_ha="0.8")
    # La Loma's third and fourth corners, typed in the wrong order.
    kml = (FIXTURES / "minka/parcelas_aguas_verdes_qgis.kml").read_text()
    crossed = kml.replace("-76.129187,-6.569264 -76.130006,-6.568993", "-76.130006,-6.568993 -76.129187,-6.569264")
    client.force_login(manager)

    response = client.post(
        reverse("plot_geometry_import", args=[coop.code]),
        {"file": SimpleUploadedFile("parcelas.kml", crossed.encode())},
    )

    html = response.content.decode()
    assert text_of(response, "import-errors") == (
        "Feature Column Error Placemark 1 · AV-001-1 La Loma This polygon's sides cross or touch each other near "
        "longitude -76.1297856333597, latitude -6.56940418340306."
    )
    # Above what was mended or is worth knowing of the other plots (El Bajo declares 2 ha, measures 0.83).
    assert html.index('id="import-errors"') < html.index('id="import-notes"')
    assert 'name="token"' not in html
    assert Plot.objects.filter(geometry__isnull=False).count() == 0

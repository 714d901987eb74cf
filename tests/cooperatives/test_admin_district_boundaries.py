"""District boundaries: the reference a superuser keeps, against which plots outside their district are flagged."""

import json

from cooperatives.models import District, DistrictBoundary
from tests import factories
from tests.admin_helpers import form_data, url

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[-76.2, -6.5], [-76.1, -6.6], [-76.1, -6.5], [-76.2, -6.6], [-76.2, -6.5]]],
}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-76.2, -6.6], [-76.1, -6.6], [-76.1, -6.5], [-76.2, -6.5], [-76.2, -6.6]]],
}


def test_a_boundary_whose_sides_cross_is_refused_and_the_district_keeps_none(client, superuser):
    district = District.objects.exclude(boundary__isnull=False).first()
    client.force_login(superuser)
    data = form_data(client.get(url(DistrictBoundary, "add")))
    data.update(district=district.pk, geometry=json.dumps(BOW_TIE), tolerance_m="100", source="Dibujo a mano")

    response = client.post(url(DistrictBoundary, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["geometry"] == ["This boundary's sides cross each other."]
    assert not DistrictBoundary.objects.filter(district=district).exists()


def test_a_superuser_loads_a_boundary_and_a_manager_may_only_read_it(client, superuser, manager):
    district = District.objects.exclude(boundary__isnull=False).first()
    client.force_login(superuser)
    data = form_data(client.get(url(DistrictBoundary, "add")))
    data.update(district=district.pk, geometry=json.dumps(SQUARE), tolerance_m="250", source="INEI 2017")

    added = client.post(url(DistrictBoundary, "add"), data)
    client.force_login(manager)
    refused = client.post(url(DistrictBoundary, "change", district.pk), {**data, "tolerance_m": "5000"})

    assert added.status_code == 302
    boundary = DistrictBoundary.objects.get(district=district)
    assert (boundary.geometry, boundary.tolerance_m) == (SQUARE, 250)
    assert refused.status_code == 403
    assert DistrictBoundary.objects.get(district=district).tolerance_m == 250
    assert factories.chazuta().boundary.tolerance_m == 100

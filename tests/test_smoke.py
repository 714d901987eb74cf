from cooperatives.models import District


def test_the_districts_are_loaded_with_both_codings(db):
    chazuta = District.objects.get(inei="220904")
    assert chazuta.reniec == "210606"
    assert District.objects.count() == 1892

import pytest

from tests import factories

ALL = [
    factories.HouseholdMemberFactory,
    factories.ProducerStatusChangeFactory,
    factories.CoveredProducerFactory,
    factories.CoveredPlotFactory,
    factories.NonConformityFactory,
    factories.QualityAnalysisFactory,
    factories.LotAllocationFactory,
    factories.ShipmentLotFactory,
    factories.ContainerFactory,
]


@pytest.mark.parametrize("factory", ALL, ids=lambda f: f.__name__)
def test_each_factory_builds_a_valid_object_inside_one_cooperative(db, factory):
    obj = factory()
    obj.full_clean()
    related = [f.name for f in obj._meta.concrete_fields if f.is_relation and hasattr(f.related_model, "cooperative")]
    for name in related:
        parent = getattr(obj, name)
        if parent is not None:
            assert parent.cooperative_id == obj.cooperative_id, name

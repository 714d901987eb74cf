import django_filters
from django.utils.translation import gettext_lazy as _

from cooperatives.api.filters import CooperativeOwnedFilterSet, IdFilter
from exports.models import Buyer, Contract, Lot, Shipment
from harvests.models import CertifiedBalance


class BuyerFilter(CooperativeOwnedFilterSet):
    country = django_filters.CharFilter(field_name="country", label=_("Country (ISO 3166 alpha-2)"))

    class Meta:
        model = Buyer
        fields = []


class ContractFilter(CooperativeOwnedFilterSet):
    buyer = IdFilter(field_name="buyer_id", label=_("Buyer (id)"))

    class Meta:
        model = Contract
        fields = []


class LotFilter(CooperativeOwnedFilterSet):
    eudr_segregated = django_filters.BooleanFilter(label=_("EUDR segregated"))
    fairtrade_mode = django_filters.ChoiceFilter(choices=Lot.FairtradeMode.choices, label=_("Fairtrade traceability"))

    class Meta:
        model = Lot
        fields = []


class ShipmentFilter(CooperativeOwnedFilterSet):
    contract = IdFilter(field_name="contract_id", label=_("Contract (id)"))
    buyer_country = django_filters.CharFilter(
        field_name="contract__buyer__country", label=_("Buyer's country (ISO 3166 alpha-2)")
    )
    departure_from = django_filters.DateFilter(
        field_name="departure_date", lookup_expr="gte", label=_("Departing on or after")
    )
    departure_to = django_filters.DateFilter(
        field_name="departure_date", lookup_expr="lte", label=_("Departing on or before")
    )

    class Meta:
        model = Shipment
        fields = []


class CertifiedBalanceFilter(CooperativeOwnedFilterSet):
    season = django_filters.NumberFilter(label=_("Season"))
    standard = django_filters.CharFilter(field_name="standard__code", label=_("Standard (code)"))

    class Meta:
        model = CertifiedBalance
        fields = []

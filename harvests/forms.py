from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.forms import form_errors
from cooperatives.models import CollectionCentre
from plots.models import Plot
from producers.models import Producer

from .ledger import BOUGHT, balance_check
from .models import Delivery
from .services import delivery_bought, delivery_check_plots, delivery_record


class DeliveryAdminForm(forms.ModelForm):
    """A purchase in the admin: recorded by harvests.services.delivery_record, corrected afterwards."""

    class Meta:
        model = Delivery
        fields = [
            "cooperative",
            "receipt_number",
            "date",
            "producer",
            "plots",
            "collection_centre",
            "state",
            "net_kg",
            "moisture_pct",
            "price_pen_per_kg",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            self._check_plots(cleaned)
        elif {"net_kg", "state"} & set(self.changed_data) and not self.errors:
            self._check_balance()
        return cleaned

    def _check_balance(self):
        """A lighter purchase gives back certified kg that lots and shipments may already claim."""
        recorded = Delivery.objects.get(pk=self.instance.pk)
        candidate = Delivery(
            state=self.cleaned_data.get("state", recorded.state),
            net_kg=self.cleaned_data.get("net_kg", recorded.net_kg),
            wet_to_dry_ratio=recorded.wet_to_dry_ratio,
        )
        moves = dict.fromkeys(delivery_bought(recorded), candidate.expected_dry_kg() - recorded.dry_kg)
        try:
            balance_check(cooperative_id=recorded.cooperative_id, column=BOUGHT, moves=moves, field="net_kg")
        except ValidationError as error:
            self.add_error("net_kg", error.messages)

    def _check_plots(self, cleaned):
        producer, plots = cleaned.get("producer"), cleaned.get("plots")
        if producer is None or plots is None:
            return
        try:
            delivery_check_plots(producer=producer, plots=list(plots))
        except ValidationError as error:
            form_errors(self, error)


def _model_field(name, **kwargs):
    """The form field of a Delivery field: its label, limits and validators stay the model's."""
    return Delivery._meta.get_field(name).formfield(**kwargs)


DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _decimal_input(step, minimum=None):
    attrs = {"step": step, "inputmode": "decimal"}
    if minimum is not None:
        attrs["min"] = minimum
    return forms.NumberInput(attrs=attrs)


RECEIPT_TAKEN = _("Another purchase already has this receipt number.")
# What the officer types of a purchase, as the model names it.
ENTERED = ("receipt_number", "date", "state", "net_kg", "moisture_pct", "price_pen_per_kg", "notes")


class DeliveryForm(forms.Form):
    """A purchase as a field officer types it; harvests.services.delivery_record records it.

    The family is chosen among the cooperative's active families and the plots among the
    cooperative's plots, so an id of another cooperative is refused here. The rest are the rules
    of the service and of the model, which `clean` asks all at once and `record` again on saving.
    """

    producer = forms.ModelChoiceField(
        label=_("Family"),
        queryset=Producer.objects.none(),
        error_messages={"invalid_choice": _("Choose an active family of this cooperative.")},
    )
    plots = _model_field(
        "plots",
        required=False,  # delivery_record says so, in the words every client reads
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose the plots among this family's.")},
    )
    collection_centre = _model_field("collection_centre")
    date = _model_field("date", widget=DATE_INPUT, show_hidden_initial=False)
    state = _model_field("state", widget=forms.RadioSelect)
    net_kg = _model_field("net_kg", widget=_decimal_input("0.01", "0.01"))
    moisture_pct = _model_field("moisture_pct", widget=_decimal_input("0.1", "0"))
    price_pen_per_kg = _model_field("price_pen_per_kg", widget=_decimal_input("0.01", "0"))
    receipt_number = _model_field("receipt_number")
    notes = _model_field("notes", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        self.fields["producer"].queryset = Producer.objects.for_cooperative(cooperative).active()
        self.fields["plots"].queryset = Plot.objects.for_cooperative(cooperative)
        self.fields["collection_centre"].queryset = CollectionCentre.objects.for_cooperative(cooperative).filter(
            is_active=True
        )
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self):
        """Every mistake in one answer: delivery_record stops at its first, and on a phone each round trip counts."""
        cleaned = super().clean()
        producer, plots = cleaned.get("producer"), cleaned.get("plots")
        if producer is not None and plots is not None:
            try:
                delivery_check_plots(producer=producer, plots=list(plots))
            except ValidationError as error:
                self.add_service_error(error)
        values = {
            name: cleaned[name]
            for name in (*ENTERED, "producer", "collection_centre")
            if name in cleaned and (cleaned[name] is not None or name == "moisture_pct")
        }
        if "collection_centre" in values:
            values["wet_to_dry_ratio"] = values["collection_centre"].wet_to_dry_ratio
        candidate = Delivery(cooperative=self.cooperative, **values)
        not_given = [field.name for field in Delivery._meta.fields if field.name not in {*values, "cooperative"}]
        try:
            candidate.full_clean(exclude=not_given)
        except ValidationError as error:
            self.add_service_error(error)
        return cleaned

    def chosen_producer_id(self):
        """The family's id as typed or offered (not yet validated), or None."""
        value = self["producer"].value()
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def chosen_plot_ids(self):
        ids = set()
        for value in self["plots"].value() or []:
            try:
                ids.add(int(value))
            except (TypeError, ValueError):
                continue
        return ids

    def record(self):
        """Record the purchase through delivery_record; its refusals become this form's errors.

        Returns the delivery, or None when refused.
        """
        data = dict(self.cleaned_data)
        try:
            return delivery_record(
                producer=data.pop("producer"),
                plots=data.pop("plots"),
                collection_centre=data.pop("collection_centre"),
                **data,
            )
        except ValidationError as error:
            self.add_service_error(error)
        except IntegrityError:
            # Another officer saved the same receipt number a moment earlier.
            self.add_error("receipt_number", RECEIPT_TAKEN)
        return None

    def add_service_error(self, error):
        """Place each message of a ValidationError beside its field, the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            if field == NON_FIELD_ERRORS and any(e.code in ("unique", "unique_together") for e in errors):
                self.add_error("receipt_number", RECEIPT_TAKEN)
                continue
            self.add_error(field if field in self.fields else None, errors)


class DeliveryFilterForm(forms.Form):
    """Which purchases the list shows. A filter that does not validate is left out, with its message."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    family = forms.CharField(
        label=_("Family"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("code, name or DNI")}),
    )
    collection_centre = forms.ModelChoiceField(
        label=_("Collection centre"), required=False, queryset=CollectionCentre.objects.none()
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.cooperative = cooperative
        self.fields["collection_centre"].queryset = CollectionCentre.objects.for_cooperative(cooperative)
        self.fields["collection_centre"].empty_label = _("all")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def filter(self, deliveries):
        """`deliveries` narrowed by every filter that validated."""
        if not self.is_bound:
            return deliveries
        self.is_valid()
        values = self.cleaned_data
        if values.get("date_from"):
            deliveries = deliveries.filter(date__gte=values["date_from"])
        if values.get("date_to"):
            deliveries = deliveries.filter(date__lte=values["date_to"])
        if values.get("collection_centre"):
            deliveries = deliveries.filter(collection_centre=values["collection_centre"])
        if values.get("family"):
            families = Producer.objects.for_cooperative(self.cooperative).matching(values["family"])
            deliveries = deliveries.filter(producer__in=families.values("pk"))
        return deliveries


class RecertifyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the certification recorded with this purchase is derived again (kept on the record)."),
    )

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cooperatives.models import District
from cooperatives.validators import normalize_dni

from .models import HouseholdMember, Producer
from .services import TRANSITIONS, member_codes_next

# The cooperatives whose next member code the admin's add form lists, when it does not know which one.
SUGGESTED_FOR_AT_MOST = 5


class ProducerAdminForm(forms.ModelForm):
    """A family in the admin; a change of status is recorded by producers.services.producer_change_status."""

    # Long enough for a CUI (the DNI and its check character), stored as the 8 digits.
    dni = forms.CharField(label=_("DNI"), max_length=12)
    status_effective_date = forms.DateField(
        label=_("status effective from"),
        required=False,
        help_text=_("When the status changes: the date it takes effect (today if empty)."),
    )
    status_reason = forms.CharField(
        label=_("reason for the status change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Producer
        fields = [
            "cooperative",
            "code",
            "first_name",
            "last_name",
            "dni",
            "sex",
            "birth_date",
            "phone",
            "community",
            "district",
            "entry_date",
            "status",
            "user",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound or self.instance.pk is not None or "cooperative" not in self.fields:
            return
        # A new family: it joins today (in Peru), with the next member code of its cooperative.
        self.initial.setdefault("entry_date", timezone.localdate())
        cooperatives = self.fields["cooperative"].queryset
        chosen = self.initial.get("cooperative")
        if chosen:
            cooperative = cooperatives.filter(pk=getattr(chosen, "pk", chosen)).first()
            if cooperative is not None:
                self.initial["code"] = next(member_codes_next(cooperative=cooperative))
                self.initial.setdefault("district", cooperative.district_id)
            return
        few = list(cooperatives.order_by("name")[: SUGGESTED_FOR_AT_MOST + 1])
        if 1 < len(few) <= SUGGESTED_FOR_AT_MOST:
            self.fields["code"].help_text = _("The next free codes: %(codes)s.") % {
                "codes": "; ".join(f"{next(member_codes_next(cooperative=c))} ({c.name})" for c in few)
            }

    def clean_dni(self):
        return normalize_dni(self.cleaned_data["dni"])

    def clean_status(self):
        to_status = self.cleaned_data["status"]
        from_status = self.instance.status if self.instance.pk else None
        if from_status and to_status != from_status and to_status not in TRANSITIONS[Producer.Status(from_status)]:
            raise ValidationError(
                _("A family cannot go from %(from)s to %(to)s."),
                code="status_transition",
                params={"from": Producer.Status(from_status).label, "to": Producer.Status(to_status).label},
            )
        return to_status


# The pages (producers/views.py): a family and its household, and a step in its membership.

# HTML date inputs send ISO dates and show what they are given in ISO.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProducerForm(forms.ModelForm):
    """A family as a field officer registers or edits it.

    The cooperative is the page's and the status moves only through producer_change_status,
    so neither is a field.
    """

    # Long enough for a CUI (the DNI and its check character), stored as the 8 digits.
    dni = forms.CharField(
        label=_("DNI"),
        max_length=12,
        help_text=_("8 digits, or the 9 characters of the CUI (DNI + check character)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Producer
        fields = [
            "code",
            "first_name",
            "last_name",
            "dni",
            "sex",
            "birth_date",
            "phone",
            "community",
            "district",
            "entry_date",
        ]
        widgets = {"birth_date": DATE_WIDGET, "entry_date": DATE_WIDGET}

    def __init__(self, *args, cooperative, instance, **kwargs):
        instance.cooperative = cooperative
        if instance.pk is None and instance.district_id is None:
            # Most families live where their cooperative is.
            instance.district_id = cooperative.district_id
        super().__init__(*args, instance=instance, **kwargs)
        if instance.pk is None and not self.is_bound:
            # A new family joins today (in Peru), with the next member code in the cooperative's numbering.
            self.initial["code"] = next(member_codes_next(cooperative=cooperative))
            self.initial["entry_date"] = timezone.localdate()
            self.fields["code"].help_text = _("The next free code in the cooperative's numbering is suggested.")
        # The districts a cooperative's families live in: its own department's, and any one already used.
        self.fields["district"].queryset = District.objects.filter(
            Q(department=cooperative.district.department)
            | Q(inei__in=Producer.objects.for_cooperative(cooperative).values("district"))
        ).order_by("province", "name")
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})

    def clean_dni(self):
        dni = normalize_dni(self.cleaned_data["dni"])
        other = self._same_cooperative().filter(dni=dni).first()
        if other is not None:
            raise ValidationError(
                _("This DNI is already registered in this cooperative: %(family)s."),
                code="dni_taken",
                params={"family": other},
            )
        return dni

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        other = self._same_cooperative().filter(code=code).first()
        if other is not None:
            raise ValidationError(
                _("This member code is already used in this cooperative: %(family)s."),
                code="code_taken",
                params={"family": other},
            )
        return code

    def _same_cooperative(self):
        """The cooperative's other families (the unique constraints include the cooperative, not a field here)."""
        return Producer.objects.for_cooperative(self.instance.cooperative).exclude(pk=self.instance.pk)


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["name", "relation", "sex", "birth_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's own bounds (household_birth_year_plausible, no year in the future), said as a field error.
        self.fields["birth_year"].validators.append(MinValueValidator(1900))
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": timezone.localdate().year})


HouseholdFormSet = forms.inlineformset_factory(
    Producer,
    HouseholdMember,
    form=HouseholdMemberForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=30,
    validate_max=True,
)


class ProducerStatusForm(forms.Form):
    """A step in a family's membership; producer_change_status checks the transition and records it."""

    status = forms.ChoiceField(label=_("New status"))
    effective_date = forms.DateField(
        label=capfirst(_("effective date")), required=False, widget=DATE_WIDGET, help_text=_("Today if empty.")
    )
    reason = forms.CharField(label=capfirst(_("reason")), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.producer = producer
        allowed = TRANSITIONS[Producer.Status(producer.status)]
        self.fields["status"].choices = [(value, label) for value, label in Producer.Status.choices if value in allowed]

"""The demo cooperative, made smaller, and every page its manager and field officer open.

The browser tests that walk the whole site (phone width, accessibility) read real pages with the demo's
kind of data: long Spanish and Kichwa names, three seasons of purchases, campaigns, non-conformities,
sanctions, samples, lots and shipments. The full demo takes about a minute to seed; 40 families take
seconds and fill every table the same way.
"""

from dataclasses import dataclass

from django.urls import reverse

from certifications.models import ExternalSample, Inspection, InspectionCampaign
from demo import allima
from demo.accounts import DEMO_PASSWORD
from harvests.models import Delivery
from producers.models import Producer

FAMILIES = 40


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    manager_only: bool = False
    status: int = 200


def seed_small_demo(monkeypatch):
    """Seed the demo cooperative with FAMILIES families; return it."""
    monkeypatch.setattr(allima, "FAMILIES", FAMILIES)
    return allima.seed_allima().cooperative


def log_in_as(page, username):
    """Log in through the login page with a demo account (gerente: manager, campo: field officer)."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def log_out(page):
    page.context.clear_cookies()


def pages(cooperative):
    """Every page of the site a manager opens (a field officer opens those not manager_only)."""
    code = cooperative.code
    family = (
        Producer.objects.filter(cooperative=cooperative, status=Producer.Status.ACTIVE)
        .filter(plots__isnull=False, deliveries__isnull=False, inspections__isnull=False, household__isnull=False)
        .distinct()
        .order_by("code")
        .first()
    )
    plot = family.plots.order_by("code").first()
    delivery = Delivery.objects.filter(producer=family).order_by("-date", "-id").first()
    inspection = (
        Inspection.objects.filter(cooperative=cooperative, non_conformities__isnull=False).order_by("-date").first()
    )
    # This year's campaign, where the field officer has families to inspect: its page shows "Record".
    campaign = (
        InspectionCampaign.objects.filter(cooperative=cooperative, assignments__inspector__username="campo")
        .order_by("-year")
        .first()
    )
    sample = ExternalSample.objects.filter(cooperative=cooperative).order_by("-drawn_on").first()
    return [
        Page("dashboard", reverse("dashboard", args=[code])),
        Page("families", reverse("producer_list", args=[code])),
        Page("family profile", reverse("producer_detail", args=[code, family.pk])),
        Page("new family", reverse("producer_create", args=[code])),
        Page("family form", reverse("producer_update", args=[code, family.pk])),
        Page("new plot", reverse("plot_create", args=[code, family.pk])),
        Page("plot editor", reverse("plot_update", args=[code, plot.pk])),
        Page("purchases", reverse("delivery_list", args=[code])),
        Page("new purchase", reverse("delivery_create", args=[code])),
        Page("receipt", reverse("delivery_receipt", args=[code, delivery.pk])),
        Page("campaigns", reverse("campaign_list", args=[code])),
        Page("campaign", reverse("campaign_detail", args=[code, campaign.pk])),
        Page("new inspection", reverse("inspection_create", args=[code, family.pk])),
        Page("inspection", reverse("inspection_detail", args=[code, inspection.pk])),
        Page("internal control", reverse("ics", args=[code])),
        Page("external sample", reverse("sample_detail", args=[code, sample.pk])),
        Page("mass balance", reverse("mass_balance", args=[code]), manager_only=True),
        Page("fairtrade premium", reverse("fairtrade:report", args=[code])),
        Page("premium received", reverse("fairtrade:receipt_create", args=[code]), manager_only=True),
        Page("premium spent", reverse("fairtrade:spending_create", args=[code]), manager_only=True),
        Page("family import", reverse("producer_import", args=[code]), manager_only=True),
        Page("plot import", reverse("plot_import", args=[code]), manager_only=True),
        Page("geometry import", reverse("plot_geometry_import", args=[code]), manager_only=True),
        Page("cooperatives", reverse("overview")),
        Page("password change", reverse("password_change")),
        Page("not found", reverse("producer_detail", args=[code, 987654321]), status=404),
    ]


def pages_for(cooperative, *, manager):
    return [page for page in pages(cooperative) if manager or not page.manager_only]

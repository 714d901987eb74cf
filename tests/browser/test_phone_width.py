"""Field officers carry cheap phones: every page fits a 390 px screen, and wide tables scroll in their own box."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.browser.site import log_in_as, log_out, pages_for, seed_small_demo

PHONE = {"width": 390, "height": 844}

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_every_page_fits_a_phone_and_its_wide_tables_scroll_in_a_box_a_keyboard_reaches(page, monkeypatch):
    """No page a manager or a field officer opens is wider than a 390 px phone; a box that scrolls
    sideways is a named region in the tab order (WCAG 2.1.1)."""
    cooperative = seed_small_demo(monkeypatch)
    page.set_viewport_size(PHONE)
    too_wide, unreachable, statuses = [], [], []
    for username, manager in (("gerente", True), ("campo", False)):
        log_in_as(page, username)
        for each in pages_for(cooperative, manager=manager):
            response = page.goto(each.url)
            if response.status != each.status:
                statuses.append(f"{username}: {each.name} ({each.url}) answered {response.status}")
            width = page.evaluate(PAGE_WIDTH)
            if width > PHONE["width"]:
                too_wide.append(f"{username}: {each.name} ({each.url}) is {width} px wide")
            unreachable += [f"{username}: {each.name}: {box}" for box in page.evaluate(SCROLLING_BOXES_NOT_REACHABLE)]
        log_out(page)

    assert statuses == []
    assert too_wide == []
    assert unreachable == []


def test_the_field_officer_sees_record_on_the_campaign_page_of_a_phone(page, log_in, coop, field_officer):
    field_officer.first_name, field_officer.last_name = "Walter Segundo", "Panduro Salas de Tapullima"
    field_officer.save(update_fields=["first_name", "last_name"])
    today = timezone.localdate()
    campaign = factories.InspectionCampaignFactory(
        cooperative=coop,
        year=today.year,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
    )
    family = factories.ProducerFactory(
        cooperative=coop,
        first_name="María Esperanza",
        last_name="Tapullima Sangama de Panduro",
        community="Santa Rosa de Chipaota Alto",
    )
    factories.CampaignAssignmentFactory(campaign=campaign, producer=family, inspector=field_officer)
    page.set_viewport_size(PHONE)
    log_in(field_officer)

    page.goto(reverse("campaign_detail", args=[coop.code, campaign.pk]))

    record = page.locator(f"#families a[href='{reverse('inspection_create', args=[coop.code, family.pk])}']")
    assert record.inner_text() == "Registrar"
    box = record.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    row = page.locator("#families tbody tr").first
    assert row.locator("[data-label=Inspector]").inner_text() == "Walter Segundo Panduro Salas de Tapullima"
    assert row.locator("[data-label=Estado]").inner_text() == "pendiente"
    for cell in row.locator("td").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= PHONE["width"], cell.inner_text()
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]


# The boxes that scroll sideways and are not a focusable region with a name, as "tag.class".
SCROLLING_BOXES_NOT_REACHABLE = """() => {
  const out = [];
  for (const box of document.querySelectorAll("main *")) {
    const style = getComputedStyle(box);
    if (!["auto", "scroll"].includes(style.overflowX) || box.scrollWidth <= box.clientWidth) { continue; }
    const named = box.getAttribute("aria-label") || box.getAttribute("aria-labelledby");
    if (box.tabIndex !== 0 || box.getAttribute("role") !== "region" || !named) {
      const heading = box.querySelector("th")?.textContent.trim();
      out.push(`${box.tagName.toLowerCase()}.${box.className} of the table that starts with "${heading}"`);
    }
  }
  return out;
}"""

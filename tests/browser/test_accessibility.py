"""Every page a manager or a field officer opens passes axe-core's WCAG 2.1 A and AA rules, on a phone and on a
desktop, with no serious or critical violation; the phone's menu and the page's selects work from a keyboard.

axe-core runs inside the page (tests/browser/vendor/axe-core, from npm: nothing is fetched at run time).
"""

from pathlib import Path

from django.urls import reverse

from tests import factories
from tests.browser.site import Page, log_in_as, log_out, pages_for, seed_small_demo

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The serious and critical violations of the page as it is laid out now, each with up to five of its nodes.
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return results.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
}"""


def violations_of(page, who, each):
    """axe's serious and critical violations of one page, at a phone's width and a desktop's."""
    response = page.goto(each.url)
    # The maps and charts fetch and draw after the load: axe reads the page as a person meets it.
    page.wait_for_load_state("networkidle")
    found = [f"{who}: {each.name} ({each.url}) answered {response.status}"] if response.status != each.status else []
    page.evaluate(AXE.read_text())  # not a <script> tag, which the Content-Security-Policy refuses
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for violation in page.evaluate(RUN_AXE, TAGS):
            found.append(f"{who}: {each.name} at {width} px: {violation}")
    return found


def test_every_page_passes_axe_core_at_phone_and_desktop_width(page, monkeypatch):
    cooperative = seed_small_demo(monkeypatch)
    found = violations_of(page, "anonymous", Page("login", reverse("login")))
    for username, manager in (("gerente", True), ("campo", False)):
        log_in_as(page, username)
        for each in pages_for(cooperative, manager=manager):
            found += violations_of(page, username, each)
        if not manager:
            forbidden = Page("forbidden", reverse("mass_balance", args=[cooperative.code]), status=403)
            found += violations_of(page, username, forbidden)
        log_out(page)

    assert found == []


def test_on_a_phone_the_menu_opens_from_a_button_the_keyboard_reaches(page, log_in, field_officer, coop):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(field_officer)
    page.goto(reverse("dashboard", args=[coop.code]))
    button = page.locator(".menu-button")
    assert page.locator("#menu").is_visible() is False

    page.focus(".brand")
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.className") == "menu-button"
    assert (button.get_attribute("aria-expanded"), button.get_attribute("aria-controls")) == ("false", "menu")
    assert page.get_by_role("button", name="Menú", exact=True).count() == 1  # the ☰ is aria-hidden

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#menu").is_visible() is True
    assert page.evaluate("document.activeElement.textContent") == "Panel"

    page.keyboard.press("Escape")

    assert button.get_attribute("aria-expanded") == "false"
    assert page.locator("#menu").is_visible() is False
    assert page.evaluate("document.activeElement.className") == "menu-button"
    assert page.javascript_errors == []


def test_an_arrow_key_on_the_season_or_the_language_leaves_the_page_where_it_is(page, log_in, manager, coop):
    family = factories.ProducerFactory(cooperative=coop)
    factories.DeliveryFactory(producer=family, collection_centre__cooperative=coop)
    log_in(manager)
    url = reverse("dashboard", args=[coop.code])
    page.goto(url)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))

    for select in ("#season", "#language"):
        page.focus(select)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)

    assert navigations == []
    assert page.url.endswith(url)
    assert page.locator(".season-form button[type=submit]").is_visible() is True
    assert page.locator(".language button[type=submit]").is_visible() is True

"""Under Minka's Content-Security-Policy every page still works and nothing it needs is refused: the pages a
manager, a field officer and a partner open, the maps, the plot editor, the purchase form, the API's docs and
the admin's lists and forms with their widgets.

A refusal is caught twice: the `securitypolicyviolation` events of the page (listened for by a script the
browser runs before the page's own, which the policy does not govern) and Chromium's "Refused to ..."
messages on the console.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.csp import build_policy

from config.csp import API_PAGES_CSP
from demo.accounts import DEMO_PASSWORD
from tests import factories
from tests.browser.site import Page, log_in_as, log_out, pages_for, seed_small_demo
from tests.browser.test_maps import open_popup

LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber}` +
    ` ${event.sample})`
  );
});
"""

# The policy as settings.SECURE_CSP writes it, the nonce left out (it differs on every response); the API's
# pages for people allow inline styles (config.csp).
POLICY = build_policy(settings.SECURE_CSP)
API_PAGES_POLICY = build_policy(API_PAGES_CSP)
# Redoc shows Redocly's logo from Redocly's site; refused, Redoc leaves it out (config.csp). Chromium
# may report it after the next page opened.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
KNOWN = [REDOCLY_LOGO]


def without_nonce(header):
    return "; ".join(
        " ".join(word for word in directive.split(" ") if not word.startswith("'nonce-"))
        for directive in header.split("; ")
    )


class Watch:
    """What the policy refused on `page`, and how each page answered, as lines that name the page."""

    def __init__(self, page):
        self.page = page
        self.found = []
        self.console = []
        page.add_init_script(script=LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to") or "Permissions-Policy" in text:
            self.console.append(text)

    def open(self, who, name, url, status=200, policy=POLICY, settle="networkidle"):
        response = self.page.goto(url)
        # The maps, charts and docs fetch and draw after the load.
        self.page.wait_for_load_state(settle)
        if status is not None and response.status != status:
            self.found.append(f"{who}: {name} ({url}) answered {response.status}")
        header = response.headers.get("content-security-policy")
        if header is None or without_nonce(header) != policy:
            self.found.append(f"{who}: {name} ({url}) came with the policy {header!r}")
        self.check(who, name)
        return response

    def check(self, who, name):
        """The refusals since the last check but the KNOWN ones, each named by `who` and `name`."""
        refused = self.page.evaluate("window.cspViolations.splice(0)") + self.console
        self.console = []
        self.found += [f"{who}: {name}: {line}" for line in refused if not any(known in line for known in KNOWN)]
        self.found += [f"{who}: {name}: {error}" for error in self.page.javascript_errors]
        self.page.javascript_errors.clear()


def test_no_page_of_a_manager_a_field_officer_or_a_partner_is_refused_anything(page, monkeypatch):
    cooperative = seed_small_demo(monkeypatch)
    watch = Watch(page)
    watch.open("anonymous", "login", reverse("login"))
    watch.open("anonymous", "admin login", reverse("admin:login"))
    for username, manager in (("gerente", True), ("campo", False)):
        log_in_as(page, username)
        watch.check(username, "the page after logging in")
        for each in pages_for(cooperative, manager=manager):
            watch.open(username, each.name, each.url, each.status)
        if not manager:
            watch.open(username, "forbidden", reverse("mass_balance", args=[cooperative.code]), 403)
        log_out(page)
    log_in_as(page, "socio")
    watch.check("socio", "the page after logging in")
    for each in partner_pages():
        watch.open("socio", each.name, each.url, each.status)
    watch.open("socio", "API", reverse("api:api-root"), policy=API_PAGES_POLICY)
    watch.open("socio", "API's families", reverse("api:producer-list"), policy=API_PAGES_POLICY)
    watch.open("socio", "API reference", reverse("api:redoc"), policy=API_PAGES_POLICY)
    watch.open("socio", "API docs", reverse("api:docs"), policy=API_PAGES_POLICY)

    assert watch.found == []


def partner_pages():
    return [
        Page("partner home", reverse("partner_home")),
        Page("administration", reverse("admin:index")),
    ]


def test_the_api_docs_draw_their_operations_under_the_policy(page, log_in, manager):
    watch = Watch(page)
    log_in(manager)
    watch.check("manager", "the page after logging in")

    watch.open("manager", "API reference", reverse("api:redoc"), policy=API_PAGES_POLICY)
    page.wait_for_selector("[data-section-id^='tag/']")
    # Redoc styles itself with <style> elements it writes: under a refused style its menu has no layout.
    menu_position = page.evaluate("getComputedStyle(document.querySelector('.menu-content')).position")
    watch.check("manager", "API reference")
    watch.open("manager", "API docs", reverse("api:docs"), policy=API_PAGES_POLICY)
    page.wait_for_selector(".opblock-summary-path")
    swagger_operations = page.locator(".opblock-summary-path").count()
    watch.check("manager", "API docs")

    assert watch.found == []
    assert swagger_operations > 10
    assert menu_position == "sticky"


def test_drawing_a_plot_opening_a_plots_popup_and_searching_a_family_are_refused_nothing(
    page, log_in, field_officer, coop
):
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa Elvira", last_name="Tapullima Sangama")
    factories.PlotFactory(producer=rosa, code="P-0101", name="La Loma", geometry=factories.square(-76.140, -6.58))
    factories.DeliveryFactory(producer=rosa, collection_centre__cooperative=coop)
    watch = Watch(page)
    log_in(field_officer)
    watch.check("field officer", "the page after logging in")

    watch.open("field officer", "new plot", reverse("plot_create", args=[coop.code, rosa.pk]))
    page.wait_for_selector("#plot-map[data-ready='1']")
    page.click(".leaflet-draw-draw-polygon")
    box = page.locator("#plot-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(x - 120, y - 80), (x + 110, y - 90), (x + 120, y + 70), (x - 100, y + 90)]
    for corner in [*corners, corners[0]]:
        page.mouse.move(*corner, steps=4)
        page.mouse.click(*corner)
    drawn = page.input_value("input[name=geometry]")
    watch.check("field officer", "drawing a plot")

    watch.open("field officer", "family profile", reverse("producer_detail", args=[coop.code, rosa.pk]))
    page.wait_for_selector("#family-map[data-features]")
    open_popup(page, "#family-map", "P-0101")
    watch.check("field officer", "a plot's popup")

    watch.open("field officer", "new purchase", reverse("delivery_create", args=[coop.code]))
    with page.expect_response(lambda response: "/purchases/families/" in response.url):
        page.fill("#family-search", "tapu")
    page.click(f"#family-results input[name=producer][value='{rosa.pk}']")
    page.wait_for_selector("#plot-choices input[name=plots]")
    watch.check("field officer", "searching a family")

    assert watch.found == []
    assert '"Polygon"' in drawn


def admin_urls():
    """The admin's index, and each model's list, add form, and the change form and history of its first row."""
    urls = [("index", reverse("admin:index"))]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        name = "{}.{}".format(*info)
        urls.append((f"{name} list", reverse("admin:{}_{}_changelist".format(*info))))
        urls.append((f"{name} add", reverse("admin:{}_{}_add".format(*info))))  # 403 where none may add
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append((f"{name} change", reverse("admin:{}_{}_change".format(*info), args=[first.pk])))
            urls.append((f"{name} history", reverse("admin:{}_{}_history".format(*info), args=[first.pk])))
    return urls


def test_the_admins_lists_and_forms_and_their_widgets_are_refused_nothing(page, monkeypatch):
    seed_small_demo(monkeypatch)
    watch = Watch(page)
    log_in_as(page, "admin")
    watch.check("admin", "the page after logging in")
    for name, url in admin_urls():
        response = watch.open("admin", name, url, status=None, settle="load")
        if response.status >= 500:
            watch.found.append(f"admin: {name} ({url}) answered {response.status}")

    # The widgets at work: a date's calendar, a related object's autocomplete, an inline's "add another".
    watch.open("admin", "new inspection", reverse("admin:certifications_inspection_add"), settle="load")
    page.click("#calendarlink0")
    page.wait_for_selector("#calendarbox0", state="visible")
    page.keyboard.press("Escape")
    page.locator(".select2-selection").first.click()
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    page.locator(".add-row a").first.click()
    watch.check("admin", "an inspection's calendar, autocomplete and inline")

    assert len(admin_urls()) > 100
    assert watch.found == []


def test_a_page_without_the_policys_files_is_refused_its_inline_script(page, log_in, field_officer, live_server):
    """The policy is enforced, not merely sent: an inline script without the nonce does not run."""
    watch = Watch(page)
    log_in(field_officer, password=DEMO_PASSWORD)
    watch.open("field officer", "password change", reverse("password_change"))

    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.ranInline = true";
      document.body.append(script);
    }""")
    page.wait_for_timeout(100)

    assert page.evaluate("window.ranInline === true") is False
    assert page.evaluate("window.cspViolations.length") == 1

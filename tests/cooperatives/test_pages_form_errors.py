"""Forms report errors one way everywhere: no browser bubble in English (every form says novalidate), Minka's
message in the user's language beside the field, tied to it (aria-describedby names ids that exist,
aria-invalid on the field), error lists that stay lists, and a summary at the top of long forms whose links
lead to the fields."""

import datetime
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FIELDS = {"input", "select", "textarea"}


class _Audit(HTMLParser):
    """What a browser would build of the page, less <template> contents (never shown as they are)."""

    def __init__(self):
        super().__init__()
        self.ids, self.described, self.invalid, self.alert_lists, self.forms = Counter(), [], [], [], []
        self.error_lists, self.summary_links = [], []
        self.open = []  # (tag, attributes) of the elements the parser is inside

    def inside(self, tag=None, css_class=None):
        return any(
            (tag is None or t == tag) and (css_class is None or css_class in a.get("class", "").split())
            for t, a in self.open
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if not self.inside("template"):
            self._element(tag, attrs, classes)
        if tag not in VOID:
            self.open.append((tag, attrs))

    def _element(self, tag, attrs, classes):
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        name = f"<{tag} {attrs.get('name') or attrs.get('id') or ' '.join(classes)}>"
        if attrs.get("aria-describedby"):
            self.described.append((name, attrs["aria-describedby"].split()))
        if attrs.get("aria-invalid") == "true":
            # A radio button or a checkbox of a group is described by its fieldset.
            groups = [a.get("aria-describedby") for t, a in self.open if t == "fieldset" and a.get("aria-describedby")]
            described = attrs.get("aria-describedby") or (groups[-1] if groups else "")
            self.invalid.append((name, described.split()))
        if tag in {"ul", "ol"} and attrs.get("role") == "alert":
            self.alert_lists.append(name)
        if tag == "form" and self.inside("main"):
            self.forms.append((name, "novalidate" in attrs))
        if tag == "ul" and "errorlist" in classes and "nonfield" not in classes:
            self.error_lists.append(attrs.get("id"))
        if tag == "a" and self.inside(css_class="error-summary"):
            self.summary_links.append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag not in VOID and self.open:
            self.open.pop()


def problems(response):
    """What ties an error to nothing, on this page: an empty list when all is well."""
    page = _Audit()
    page.feed(response.content.decode())
    found = [f"id {id_} {count} times" for id_, count in page.ids.items() if count > 1]
    for name, refs in page.described:
        found += [f"{name} is described by #{ref}, which the page lacks" for ref in refs if ref not in page.ids]
    for name, refs in page.invalid:
        if not any(ref.endswith("_error") and ref in page.ids for ref in refs):
            found.append(f"{name} is invalid and not described by its error")
    found += [f"{name} is a list with role=alert" for name in page.alert_lists]
    found += [f"{name} lets the browser validate" for name, novalidate in page.forms if not novalidate]
    found += ["a field's error list has no id" for id_ in page.error_lists if not id_ or not id_.endswith("_error")]
    found += [f"summary link {href} leads nowhere" for href in page.summary_links if href[1:] not in page.ids]
    return found


def audit(response):
    page = _Audit()
    page.feed(response.content.decode())
    return page


# The forms, each sent wrongly by the person who fills it in


def management(prefix, total=1):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def family(coop):
    return factories.ProducerFactory(cooperative=coop)


@pytest.fixture
def inspection(coop, family, manager):
    return factories.NonConformityFactory(inspection__producer=family, inspection__inspector=manager).inspection


def wrong(coop, family, inspection):
    """(what, method, url, data, status): each form sent with what a hurried officer leaves wrong."""
    code = coop.code
    return [
        (
            "family",
            "post",
            reverse("producer_create", args=[code]),
            management("household") | {"household-0-name": "Ana"},
            200,
        ),
        (
            "plot",
            "post",
            reverse("plot_create", args=[code, family.pk]),
            {"declared_area_ha": "-1", "latitude": "95"},
            200,
        ),
        ("purchase", "post", reverse("delivery_create", args=[code]), {"net_kg": "0", "moisture_pct": "120"}, 200),
        (
            "inspection",
            "post",
            reverse("inspection_create", args=[code, family.pk]),
            management("non_conformities") | {"non_conformities-0-description": "Sin barrera"},
            200,
        ),
        ("premium received", "post", reverse("fairtrade:receipt_create", args=[code]), {"amount_usd": "0"}, 200),
        ("campaign", "post", reverse("campaign_list", args=[code]), {"year": "1990"}, 400),
        ("sample", "post", reverse("ics", args=[code]), {"year": "x"}, 400),
        ("approved list", "get", reverse("approved_member_list", args=[code]), {"year": "1990"}, 400),
        ("sanction", "post", reverse("sanction_impose", args=[code, inspection.pk]), {}, 400),
        (
            "closing",
            "post",
            reverse("non_conformity_close", args=[code, inspection.pk, inspection.non_conformities.get().pk]),
            {},
            400,
        ),
        ("status", "post", reverse("producer_status", args=[code, family.pk]), {"status": "nope"}, 200),
        ("purchase filters", "get", reverse("delivery_list", args=[code]), {"date_to": "31/02/2026"}, 200),
        ("mass balance", "get", reverse("mass_balance", args=[code]), {"season": "1990"}, 200),
        ("password", "post", reverse("password_change"), {"new_password1": "a"}, 200),
    ]


def test_every_form_sent_wrongly_ties_each_error_to_its_field(client, coop, manager, family, inspection):
    client.force_login(manager)
    found = {}
    for what, method, url, data, status in wrong(coop, family, inspection):
        response = getattr(client, method)(url, data)
        page = audit(response)
        assert (what, response.status_code) == (what, status)
        assert (what, bool(page.invalid and page.error_lists)) == (what, True)
        if issues := problems(response):
            found[what] = issues

    assert found == {}


def test_the_login_page_refuses_a_wrong_password_in_one_announced_message(client, manager):
    response = client.post(reverse("login"), {"username": manager.username, "password": "wrong"})

    assert response.status_code == 200
    assert problems(response) == []
    assert '<div role="alert"><ul class="errorlist nonfield"><li>Please enter a correct username' in (
        response.content.decode()
    )


def test_a_long_form_sums_up_its_errors_at_the_top_each_a_link_to_its_field(client, coop, manager):
    client.force_login(manager)
    data = management("household") | {"household-0-name": "Ana Sangama"}

    response = client.post(reverse("producer_create", args=[coop.code]), data)

    page = audit(response)
    html = response.content.decode()
    summary = html[
        html.index('<div class="error-summary"') : html.index("</div>", html.index('<div class="error-summary"'))
    ]
    assert 'role="alert" tabindex="-1"' in summary
    assert "#field-code" in page.summary_links
    assert "#field-household-0-relation" in page.summary_links
    assert '<a href="#field-first_name">First names: This field is required.</a>' in summary
    assert all(href[1:] in page.ids for href in page.summary_links)
    assert len(page.summary_links) == html.count('class="errorlist" id="')


def test_the_purchase_form_says_in_spanish_beside_the_field_what_the_browser_said_in_english(coop, field_officer):
    client = Client(headers={"Accept-Language": "es"})
    client.force_login(field_officer)

    response = client.post(reverse("delivery_create", args=[coop.code]), {"net_kg": "0"})

    html = response.content.decode()
    field = html[html.index('id="field-net_kg"') : html.index('id="field-moisture_pct"')]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_net_kg_error"' in field
    assert '<ul class="errorlist" id="id_net_kg_error"><li>Debe ser mayor que cero; se ingresó 0.</li></ul>' in field
    assert "novalidate" in html[html.index('<form method="post" class="page-form purchase-form"') :][:200]
    assert problems(response) == []


def test_the_ics_page_gives_its_two_forms_ids_of_their_own(client, coop, manager):
    client.force_login(manager)

    response = client.get(reverse("ics", args=[coop.code]))

    page = audit(response)
    assert problems(response) == []
    assert (page.ids["approved_standard"], page.ids["id_standard"]) == (1, 1)
    assert (page.ids["approved_year"], page.ids["id_year"]) == (1, 1)


def test_an_approved_list_asked_wrongly_shows_the_ics_page_with_the_errors_beside_the_fields(client, coop, manager):
    client.force_login(manager)

    response = client.get(reverse("approved_member_list", args=[coop.code]), {"standard": "nope", "year": "1990"})

    html = response.content.decode()
    assert response.status_code == 400
    assert response.templates[0].name == "certifications/ics.html"
    assert '<ul class="errorlist" id="approved_year_error"><li>Ensure this value is greater than or equal to 2000.' in (
        html
    )
    assert '<ul class="errorlist" id="approved_standard_error"><li>Select a valid choice.' in html


def test_a_group_of_choices_is_a_fieldset_described_by_its_error(client, coop, manager, family):
    client.force_login(manager)
    data = management("non_conformities", total=0) | {"date": datetime.date.today().isoformat()}

    response = client.post(reverse("inspection_create", args=[coop.code, family.pk]), data)

    html = response.content.decode()
    assert '<fieldset class="choices" aria-describedby="id_checklist-buffer_zone_error">' in html
    assert '<ul class="errorlist" id="id_checklist-buffer_zone_error"><li>Answer this question.</li></ul>' in html
    assert 'name="checklist-buffer_zone" value="yes" required aria-invalid="true"' in html
    assert problems(response) == []

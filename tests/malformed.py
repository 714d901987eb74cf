"""Posting malformed input to a form the way an attacker would, and what must come back: the pages' and
the admin's walks (tests/cooperatives/test_pages_bad_input.py, tests/cooperatives/test_admin_bad_input.py) share it."""

import re
from urllib.parse import quote

from tests.cooperatives.test_api_bad_input import row_counts

NUMBER_FIELD = re.compile(r'type="number"|inputmode="(?:decimal|numeric)"')
ERROR_MARK = re.compile(r'aria-invalid="true"|class="error-summary"|class="errorlist|class="errornote')
# What a form posts that no one types: the token, the admin's buttons, a page's hidden return address.
NOT_TYPED = {"csrfmiddlewaretoken", "next", "language", "_save", "_addanother", "_continue", "_popup"}


def field_names(html):
    """The names of a page's form fields (of its first to last form)."""
    form = html[html.find("<form") : html.rfind("</form>")]
    return sorted(set(re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', form)) - NOT_TYPED)


def malformed_forms(names):
    """(kind, urlencoded body) with every field of the form given the same malformed value."""

    def body(value):
        return "&".join(f"{quote(name)}={value}" for name in names)

    yield "JSON nested 50,000 deep", body("[" * 50_000)  # brackets need no quoting: 50 kB a field
    yield "1e400", body("1e400")
    yield "10**30", body(str(10**30))
    yield "over-long text", body("a" * 20_000)
    yield "a lone surrogate's bytes", body("%ED%A0%80")  # UTF-8 cannot hold it; the browser never sends it
    yield "over 2.5 MB", f"{quote(names[0])}={'a' * 3_000_000}"


def malformed_post_failures(client, url, html):
    """Each malformed input posted to the form at `url` (rendered as `html`): what answered other than a
    4xx with a message or the form again with its errors, or wrote a row."""
    failures = []
    for kind, body in malformed_forms(field_names(html)):
        before = row_counts()
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
        where = f"POST {url} with {kind}: {response.status_code}"
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode(errors="replace")
        if kind == "over 2.5 MB":
            # A page that takes no form refuses the method before it reads the body.
            if response.status_code != 405 and (response.status_code != 413 or "Too much sent at once" not in text):
                failures.append(where)
        elif kind in ("1e400", "10**30") and response.status_code == 302 and not NUMBER_FIELD.search(html):
            continue  # a form of text only: "1e400" is a name like any other, saved as one
        elif response.status_code >= 500 or response.status_code in (201, 302):
            failures.append(f"{where} {text[:200]!r}")
        elif response.status_code == 200 and not ERROR_MARK.search(text):
            failures.append(f"{where} without an error on the page")
        if row_counts() != before:
            failures.append(f"{where} wrote rows")
    return failures

"""What a user sees on a page, read from the HTML the way a browser would (no HTML library needed)."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.found, self.parts = element_id, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in VOID
        elif dict(attrs).get("id") == self.element_id and not self.found:
            self.found, self.depth = True, 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(response, element_id):
    """The text of the element with this id (whitespace folded); fails when the page has no such element."""
    parser = _Text(element_id)
    parser.feed(response.content.decode())
    assert parser.found, f"no element #{element_id} on the page"
    return " ".join(" ".join(parser.parts).split())


class _Input(HTMLParser):
    def __init__(self, name):
        super().__init__()
        self.name, self.value = name, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == self.name and self.value is None:
            self.value = attrs.get("value") or ""


def input_value(response, name):
    """The value an <input> of the page holds, as the browser would read it (entities decoded)."""
    parser = _Input(name)
    parser.feed(response.content.decode())
    assert parser.value is not None, f"no input named {name} on the page"
    return parser.value


def field_text(response, name):
    """The text beside a form field: its label, help and errors (pages/form_fields.html)."""
    return text_of(response, f"field-{name}")

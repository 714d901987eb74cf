"""The text of a PDF as a reader sees it, read with pypdf (pure Python: no system package to install)."""

import io

from pypdf import PdfReader


def pdf_text(content):
    assert content.startswith(b"%PDF-"), content[:20]
    reader = PdfReader(io.BytesIO(content))
    # The layout mode keeps a table's row on one line, so a test can read a row as a reader does.
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)

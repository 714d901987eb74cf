"""The text of a PDF as a reader sees it, through poppler's pdftotext (Debian's poppler-utils)."""

import shutil
import subprocess


def pdf_text(content):
    assert content.startswith(b"%PDF-"), content[:20]
    assert shutil.which("pdftotext"), "pdftotext is missing: .ci/run installs Debian's poppler-utils"
    # -layout keeps a table's row on one line, so a test can read a row as a reader does.
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return done.stdout.decode()

"""Imports in two steps, for the admin and the pages alike: a preview that writes nothing, then a confirm.

The preview runs the import as a dry run and, when every row passes, keeps the uploaded bytes
here on the server under a random token. "Confirm" posts only that token: the file is never sent
twice, and no path ever comes from the browser. A stashed file answers only to the person who
uploaded it, for the kind of import and the cooperative it was previewed for, for an hour.

The import functions themselves (producers.imports.producers_import, plots.imports.plots_import)
hold every rule; this module only carries a file from one request to the next.
"""

import inspect
import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spreadsheets import MAX_IMPORT_BYTES, ImportFileError

# A preview is confirmed within minutes; a file left behind is personal data and goes after an hour.
STASH_SECONDS = 60 * 60
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
# The progress file is rewritten at most this often: a 10,000-row import calls progress() per row.
PROGRESS_SECONDS = 0.5

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ImportKind:
    """One kind of file a cooperative imports: what it holds, the function that imports it, its template."""

    name: str
    label: str
    run: object  # run(*, cooperative, content, filename, dry_run[, user][, progress]) -> a report
    template: object = None  # template(file_format) -> bytes, for the files people fill in
    template_filename: str = ""
    accept: str = ".csv,.xlsx,text/csv"
    help_text: str = gettext_lazy("CSV or XLSX, at most 10 MB, with the template's columns.")
    place: str = gettext_lazy("Row")  # what an error's first column names

    def run_kwargs(self, *, user, token=""):
        """The keywords this kind's function takes besides the file: who imports, and where to tell progress."""
        accepted = inspect.signature(self.run).parameters
        extra = {"user": user} if "user" in accepted else {}
        if token and "progress" in accepted:
            extra["progress"] = progress_writer(token)
        return extra


# The kinds of file on offer, by name: each domain app registers its own when it is ready (e.g. producers.apps),
# so the admin and the pages offer them without this module knowing any of them.
KINDS = {}


def register(kind):
    """Offers `kind` (an ImportKind) in the admin and on the pages under its name."""
    KINDS[kind.name] = kind
    return kind


class ImportUploadForm(forms.Form):
    """The file to preview; in the admin, also the cooperative it goes to (one of the user's)."""

    cooperative = forms.ModelChoiceField(label=gettext_lazy("cooperative"), queryset=None)
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, kind, cooperatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = kind.help_text
        self.fields["file"].widget.attrs["accept"] = kind.accept
        if cooperatives is None:
            del self.fields["cooperative"]  # the page's cooperative
            return
        self.fields["cooperative"].queryset = cooperatives
        only = list(cooperatives.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            self.fields["cooperative"].initial = only[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).0f MB. Split it into smaller files.")
                % {"size": upload.size / 1024 / 1024, "limit": MAX_IMPORT_BYTES / 1024 / 1024}
            )
        return upload


@dataclass
class Outcome:
    """What a preview or a confirm came to: the report, or why the file could not be read or found."""

    kind: ImportKind
    cooperative: object = None
    report: object = None  # ImportReport
    token: str = ""  # set when the preview passed: the file waits for "Confirm"
    filename: str = ""
    error: str = ""
    columns: object = None  # spreadsheets.Columns, when a file's headers were read

    @property
    def rows(self):
        report = self.report
        return report.new + report.updated + report.unchanged if report else 0

    @property
    def has_columns(self):
        """Whether the file is a table (its notes and errors name a column), not a geometry file."""
        return self.columns is not None

    def notes(self):
        """What was filled in, mended or is worth knowing, as (place, column, text).

        A table's notes are its rows' (a member code given, the cooperative's district); a geometry
        file's are those of its accepted features.
        """
        if self.has_columns:
            return [(note.row, note.column, note.message) for note in getattr(self.report, "notes", [])]
        return [
            (_place(feature), "", " ".join(map(str, feature.notes)))
            for feature in getattr(self.report, "features", [])
            if feature.notes and not feature.errors
        ]

    def errors(self):
        """Each error as (place, column, message): a row of a table, or a feature of a geometry file."""
        lines = []
        for error in self.report.errors if self.report else []:
            if hasattr(error, "row"):
                lines.append((error.row, error.column, error.message))
            else:
                lines.append((_place(error), "", " ".join(str(message) for message in error.errors)))
        return lines


def _place(feature):
    """A feature of a geometry file in words: "Feature 3 · P-1 La Loma", its plot code and its name."""
    place = capfirst(str(feature.where))
    named = [text for text in (feature.code, feature.name) if text]
    if len(named) == 2 and named[0] == named[1]:
        named = named[:1]
    return " · ".join([place, " ".join(named)]) if named else place


def import_preview(*, kind, cooperative, user, upload):
    """Run the import of `upload` as a dry run; when every row passes, stash the file for confirm()."""
    content = upload.read()
    outcome = Outcome(kind=kind, cooperative=cooperative, filename=upload.name)
    try:
        outcome.report = kind.run(
            cooperative=cooperative, content=content, filename=upload.name, dry_run=True, **kind.run_kwargs(user=user)
        )
    except ImportFileError as error:
        outcome.error, outcome.columns = str(error), error.columns
        return outcome
    outcome.columns = getattr(outcome.report, "columns", None)
    if outcome.report.ok:
        outcome.token = stash(content, user=user, cooperative=cooperative, kind=kind, filename=upload.name)
    return outcome


def import_confirm(*, kind, token, user, cooperatives):
    """Import the file stashed under `token` for real, into its cooperative if that is among `cooperatives`.

    The rows are checked again as they are written: a family deleted since the preview, say, makes
    the import write nothing and report that row.
    """
    stashed = unstash(token, user=user, kind=kind)
    cooperative = cooperatives.filter(pk=stashed["cooperative"]).first() if stashed else None
    if cooperative is None:
        return Outcome(kind=kind, error=_("The file to import is no longer here: upload it again."))
    outcome = Outcome(kind=kind, cooperative=cooperative, filename=stashed["filename"])
    try:
        outcome.report = kind.run(
            cooperative=cooperative,
            content=stashed["content"],
            filename=stashed["filename"],
            dry_run=False,
            **kind.run_kwargs(user=user, token=token),
        )
    except ImportFileError as error:
        outcome.error, outcome.columns = str(error), error.columns
    else:
        outcome.columns = getattr(outcome.report, "columns", None)
    discard(token)
    return outcome


def done_message(outcome):
    report = outcome.report
    return _("%(file)s imported into %(cooperative)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
        "file": outcome.filename,
        "cooperative": outcome.cooperative,
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }


def template_response(kind, file_format):
    """The kind's template (headers and one example row) as a download."""
    if kind.template is None or file_format not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(kind.template(file_format), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{kind.template_filename}.{file_format}"'
    return response


# ---------------------------------------------------------------------------
# The stash: the uploaded bytes and who they belong to, in a private folder of the server


def stash_dir():
    folder = Path(settings.IMPORT_STASH_DIR or Path(tempfile.gettempdir()) / "minka-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _write(path, data):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def stash(content, *, user, cooperative, kind, filename):
    """Keep `content` for its uploader and return the token that names it."""
    folder = stash_dir()
    _clear_expired(folder)
    token = secrets.token_urlsafe(32)
    _write(folder / f"{token}.upload", content)
    meta = {"user": user.pk, "cooperative": cooperative.pk, "kind": kind.name, "filename": filename}
    _write(folder / f"{token}.json", json.dumps(meta).encode())
    return token


def _meta(token, *, user, kind):
    """The stashed file's record if `token` names one of `user`'s files of this kind, still fresh; else None."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    path = stash_dir() / f"{token}.json"
    try:
        if time.time() - path.stat().st_mtime > STASH_SECONDS:
            return None
        meta = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if meta.get("user") != user.pk or meta.get("kind") != kind.name:
        return None
    return meta


def unstash(token, *, user, kind):
    meta = _meta(token, user=user, kind=kind)
    if meta is None:
        return None
    try:
        meta["content"] = (stash_dir() / f"{token}.upload").read_bytes()
    except OSError:
        return None
    return meta


def discard(token):
    if TOKEN.fullmatch(token or ""):
        for suffix in (".upload", ".json", ".progress"):
            (stash_dir() / f"{token}{suffix}").unlink(missing_ok=True)


def _clear_expired(folder):
    limit = time.time() - STASH_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


# ---------------------------------------------------------------------------
# Progress: written by the import as it runs, read by the page that waits for it


def progress_writer(token):
    """A progress(done, total) callable that records how far the import of `token` has come.

    It writes a file, not a row: the import runs inside a transaction that no other request sees.
    """
    path = stash_dir() / f"{token}.progress"
    last = [0.0]

    def progress(done, total):
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_SECONDS:
            return
        last[0] = now
        partial = path.with_suffix(".progress-new")
        _write(partial, f"{done} {total}".encode())
        os.replace(partial, path)

    return progress


def read_progress(token, *, user, kind):
    """(done, total) of the running import of `token` if it is `user`'s, else None."""
    if _meta(token, user=user, kind=kind) is None:
        return None
    try:
        done, total = (stash_dir() / f"{token}.progress").read_text().split()
        return int(done), int(total)
    except (OSError, ValueError):
        return (0, 0)

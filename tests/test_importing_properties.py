"""Properties of the importer over files nobody wrote by hand (hypothesis).

Whatever a report file holds, the import either succeeds or is refused with
ReportImportError naming file and line: no other exception, no hang.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing import ReportImportError, import_reports
from articles.models import Section

pytestmark = pytest.mark.django_db

FRONT_MATTER_PIECES = [
    *"\n:-[]{}&*!|>'\"#?,%@` \t",
    "key: ",
    "language: ",
    "en",
    "ja",
    "summary: ",
    "section: world",
    "source: ",
    "published_at: ",
    "source_date: ",
    "2026-09-20",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01",
    "status: published",
    "&a ",
    "*a",
    "!!binary ",
    "!!python/object:os.system ",
    "<<: ",
    "\ufeff",
    "\x00",
    "\x07",
    "a-key",
    "yes",
    "~",
]
front_matter = st.lists(st.one_of(st.sampled_from(FRONT_MATTER_PIECES), st.text(max_size=4)), max_size=40).map("".join)
markdown = st.lists(st.sampled_from([*"#\n>-*_[]()<!`|", "# ", "\n\n", "text", "<b>", "![x](y)"]), max_size=40).map(
    "".join
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front_matter, markdown, st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
def test_any_report_file_is_imported_or_refused_with_its_file_and_line(db, front, text, encoding):
    Section.objects.get_or_create(slug_en="world", defaults={"name_en": "World"})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.md"
        path.write_bytes(f"---\n{front}\n---\n{text}".encode(encoding, errors="replace"))
        try:
            import_reports([folder], dry_run=True)
        except ReportImportError as error:
            assert error.problems
            assert all(problem.startswith(f"{path}:") for problem in error.problems), error.problems

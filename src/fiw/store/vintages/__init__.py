"""Vintages: what each release (an imported workbook or export file) published.

Current values stay in `assessments` and `ratings`, so every reader keeps reading one row per
country-edition. Each import also records, in its own transaction, the import itself
(`release_imports`), the editions its file holds (`release_editions`) and every published
value it changed (`value_revisions`: old and new). The database as a release had it is the
current one with the revisions of every later import undone (`state_as_of`); two releases
or two files are compared by the same rule (`compare`).

One module a job: `changes` (the versioned columns, `Change`, `compare`, `diff`),
`recording` (an import's rows against the stored ones), `releases` (`Release`, finding one),
`state` (rebuilding a vintage), `revisions` (what each import changed, who published a value).
"""

from fiw.store.vintages.changes import (
    DERIVED,
    RELEASE_KINDS,
    VERSIONED,
    WHOLE_EDITION_KINDS,
    Change,
    Key,
    Rows,
    Values,
    batch_rows,
    column_of,
    columns,
    compare,
    diff,
    field_name,
)
from fiw.store.vintages.recording import Recorded, record, record_later
from fiw.store.vintages.releases import Release, UnknownRelease, find_release, releases
from fiw.store.vintages.revisions import (
    PUBLICATION_COLUMNS,
    REVISION_COLUMNS,
    Publication,
    Revision,
    publications,
    revisions,
)
from fiw.store.vintages.state import mark, release_rows, state_as_of

__all__ = [
    "DERIVED", "PUBLICATION_COLUMNS", "RELEASE_KINDS", "REVISION_COLUMNS", "VERSIONED",
    "WHOLE_EDITION_KINDS", "Change", "Key", "Publication", "Recorded", "Release", "Revision",
    "Rows", "UnknownRelease", "Values", "batch_rows", "column_of", "columns", "compare", "diff",
    "field_name", "find_release", "mark", "publications", "record", "record_later",
    "release_rows", "releases", "revisions", "state_as_of",
]  # fmt: skip

"""The typed options of the ``breachdocs`` MkDocs plugin (``plugins: [breachdocs: {...}]``).

Folders are relative to the folder holding ``mkdocs.yml``.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class BreachdocsConfig(base.Config):
    #: Incident records (YAML) and organisation profiles.
    incidents = c.Type(str, default="incidents")
    #: Jurisdiction rule files (YAML).
    jurisdictions = c.Type(str, default="jurisdictions")
    #: Templates; the page templates are in its ``site/`` folder.
    templates = c.Type(str, default="templates")
    #: Folder inside the built site where filing PDFs go.
    filings_dir = c.Type(str, default="filings")
    #: Write the filing PDFs (filled and flattened) into the site after its pages (needs the publish stage).
    filings = c.Type(bool, default=True)
    #: Processes the build may use: 1 makes the filings after the pages, in the build's own process;
    #: 2 or more begin them in a background process while MkDocs renders the pages (with 3 or more,
    #: that process fills them in a pool of jobs - 1). 0 (the default): the CPUs available, at most 4.
    #: The output is the same for any number.
    jobs = c.Type(int, default=0)
    #: Stop the build on warnings of the incident check too, not only on errors (without it they are
    #: MkDocs warnings: shown, and fatal under ``mkdocs build --strict``).
    strict = c.Type(bool, default=False)
    #: The day the dashboard counts from (YYYY-MM-DD); today when empty. For reproducible builds and tests.
    today = c.Optional(c.Type(str))

"""Which engine builds the site: ProperDocs when it is installed, MkDocs otherwise.

ProperDocs (PyPI ``properdocs``) is the maintained continuation of MkDocs 1.x and a
drop-in replacement: it reads ``mkdocs.yml``, runs MkDocs plugins and themes (ours
and Material) by redirecting their ``mkdocs.*`` imports to ``properdocs.*``. That
redirect must come before anything imports MkDocs, so every build, serve and publish
asks :func:`use_engine` first and imports the engine's modules after it.

``BREACHDOCS_SITE_ENGINE=mkdocs`` (or ``properdocs``) chooses one explicitly.
"""

from __future__ import annotations

import importlib.util
import os
import sys

ENVIRONMENT = "BREACHDOCS_SITE_ENGINE"
ENGINES = ("properdocs", "mkdocs")


class EngineError(Exception):
    """The chosen engine cannot be used; the message says what to do."""


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def chosen_engine() -> str:
    """The engine a build will use: the one named by ``BREACHDOCS_SITE_ENGINE``, else ProperDocs when
    it is installed and MkDocs has not been loaded by this process already, else MkDocs."""
    wanted = os.environ.get(ENVIRONMENT, "").strip().lower()
    if wanted:
        if wanted not in ENGINES:
            raise EngineError(f"{ENVIRONMENT}={wanted!r} is not an engine; write properdocs or mkdocs")
        if not _installed(wanted):
            raise EngineError(f"{ENVIRONMENT}={wanted} but {wanted} is not installed; pip install {wanted}")
        return wanted
    loaded = sys.modules.get("mkdocs")
    if loaded is not None:  # this process already runs one of them: keep it
        return "properdocs" if loaded.__name__ == "properdocs" else "mkdocs"
    return "properdocs" if _installed("properdocs") else "mkdocs"


def use_engine() -> str:
    """Make ``mkdocs.*`` imports load the chosen engine; its name."""
    name = chosen_engine()
    if name == "properdocs":
        real = sys.modules.get("mkdocs")
        if real is not None and real.__name__ == "mkdocs":
            raise EngineError("MkDocs is already loaded in this process; run the build in a new process, "
                              f"or set {ENVIRONMENT}=mkdocs")
        import properdocs.replacement  # noqa: F401  (the redirect of mkdocs.* to properdocs.*)
    return name

"""A copy of the repository laid out as a fresh clone, and the environment of a reader's shell."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clone_like_copy(target: Path) -> Path:
    """The files of the work tree a clone would have (tracked, or new and not ignored), committed in a new repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for args in (["init", "--quiet", "-b", "main"], ["add", "-A"], ["commit", "--quiet", "-m", "clone"]):
        subprocess.run(["git", *args], cwd=target, check=True, env=environment(target.parent / "home"))
    return target


def environment(home: Path) -> dict[str, str]:
    """The environment of a command run as a reader would: a home folder of its own, no virtualenv or breachdocs
    settings of ours, a Git identity; pip keeps using the user's download cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "BREACHDOCS_", "GIT_"))}
    cache = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    return {**env, "HOME": str(home), "PIP_CACHE_DIR": cache, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "GIT_AUTHOR_NAME": "Reader", "GIT_AUTHOR_EMAIL": "reader@example.com",
            "GIT_COMMITTER_NAME": "Reader", "GIT_COMMITTER_EMAIL": "reader@example.com"}

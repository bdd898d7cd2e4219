"""Worker processes that never outlive the command that started them.

:func:`end_with_parent` asks Linux to signal a worker when its parent ends, however
the parent ends (killed, interrupted, crashed): a killed build or mail merge leaves
no process behind. :func:`pool_worker` is the start-up of every pool worker.
"""

from __future__ import annotations

import ctypes
import os
import signal
from multiprocessing.pool import Pool

_PR_SET_PDEATHSIG = 1


def end_with_parent(parent: int, signum: int = signal.SIGKILL) -> None:
    """In a worker process: receive ``signum`` when its parent ends (Linux; elsewhere a worker ends when
    its pipe to the parent breaks). ``parent`` is the parent's process id, taken before the worker started."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum)
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os.kill(os.getpid(), signum)


def pool_worker(parent: int) -> None:
    """Start-up of a pool worker: SIGTERM ends it at once (not a handler inherited from the process that
    forked it), and it ends with its parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the pool
    end_with_parent(parent, signal.SIGKILL)


def finish(pool: Pool) -> None:
    """End a pool whose work is done: each worker reads its end-of-work marker and exits on its own.

    Leaving a ``with Pool(...)`` block terminates the workers with SIGTERM instead, and a worker forked a
    moment before (the pool replaces workers as they exit) loses a SIGTERM that arrives before its start-up
    resets the handler: it would then wait for work forever, and so would the join. ``with`` still
    terminates the pool when the work fails or is interrupted."""
    pool.close()
    pool.join()

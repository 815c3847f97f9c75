"""Worker processes: what every pool of fiw's workers does when it starts (the parsers of
`fiw import`, the searches of `fiw serve`): end with its parent, and where asked give way to
it (the OS's lowest priority)."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with(parent: int, *, any_thread: bool = False) -> None:
    """End this worker when `parent` dies, even by `kill -9` (which leaves no chance to shut
    the pool down). Linux: the kernel sends SIGKILL (prctl PR_SET_PDEATHSIG) — but it does so
    when the *thread* that started the worker ends, so a pool that may be started from a
    short-lived thread (a server's thread pool) passes `any_thread`; then, as on other
    systems, a thread watches the parent's pid (twice a second)."""
    if sys.platform.startswith("linux") and not any_thread:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def give_way() -> str:
    """Run this process at the OS's lowest priority, so that it only takes a core no other
    process wants: SCHED_IDLE on Linux, else nice 19; returns which (or "" where neither
    exists, as on Windows)."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return "SCHED_IDLE"
        except OSError:
            pass
    if hasattr(os, "nice"):
        os.nice(19 - os.nice(0))
        return "nice 19"
    return ""


def start_background_worker(parent: int) -> None:
    """A background pool's initializer: die with `parent` (started from any of its threads)
    and give way to it."""
    die_with(parent, any_thread=True)
    give_way()

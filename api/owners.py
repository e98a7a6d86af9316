"""Which process holds an Idempotency-Key, to tell at once when that process is gone.

A process is named `host/pid/start`, `start` being when it started (in clock ticks since
boot, from /proc), so that a pid reused by a later process is not mistaken for it. Only a
process of this host can be known gone; elsewhere, or where /proc is missing, a key is taken
over after `reintegrate.idempotency.ABANDONED_AFTER` instead.
"""

from __future__ import annotations

import functools
import os
import socket
from pathlib import Path


def _started(pid: int) -> str | None:
    """When process `pid` started, or None if there is no such process (or no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: starttime


def _name_of(pid: int) -> str:
    return f"{socket.gethostname()}/{pid}/{_started(pid) or 'unknown'}"


@functools.cache
def _named(pid: int) -> str:
    return _name_of(pid)


def this_process() -> str:
    """This process's name (computed once per process, a forked one included)."""
    return _named(os.getpid())


def owner_gone(owner: str | None) -> bool:
    """Whether the process named `owner` is known to have stopped."""
    if owner is None or not Path("/proc/self/stat").exists():
        return False
    host, _, rest = owner.partition("/")
    pid, _, started = rest.partition("/")
    if host != socket.gethostname() or not pid.isdigit() or started == "unknown":
        return False
    return _started(int(pid)) != started

"""Which process sent a create, and whether it still lives: a send of a live process may still be in flight.

A `sent` request without an answer is unresolved only once its sender is gone (killed, crashed, restarted): two
kernels creating the same image at the same moment must each get their own job, so a send is neither reused nor
re-sent while the process that made it may still be waiting for the answer. A sender on another machine (a home
directory shared over the network) cannot be checked here, so it counts as alive.
"""

from __future__ import annotations

import os
import socket
import sys

__all__ = ["current_sender", "sender_alive"]


def current_sender() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def sender_alive(sender: str | None) -> bool:
    """Whether the process named by `current_sender()` may still run; None (a journal older than senders): no."""
    if sender is None:
        return False
    host, _, pid = sender.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    return _pid_alive(int(pid))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would terminate it there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True

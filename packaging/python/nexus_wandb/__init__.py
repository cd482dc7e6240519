"""nexus for the wandb SDK: the nexus binary, and a hook that makes wandb start it as its wandb-core.

Installing this package puts ``nexus`` on PATH and ``nexus_wandb.pth`` in site-packages; the .pth
line installs an import hook (``nexus_wandb._hook``) that patches wandb's ``get_core_path`` when
wandb is imported, so the SDK launches nexus instead of its bundled Go wandb-core. Uninstalling
the package removes both: wandb is back on its own core, untouched.

Set ``NEXUS_WANDB_DISABLE=1`` to keep wandb on its own core with the package installed.
"""

from __future__ import annotations

import os
import sys

__all__ = ["binary_path", "SUPPORTED_WANDB"]

#: The wandb versions (release series) whose protocol this nexus speaks.
SUPPORTED_WANDB = ("0.31.",)


def binary_path() -> str | None:
    """The installed nexus binary (``<scripts>/nexus``), or None when it cannot be found."""
    import sysconfig

    exe = "nexus.exe" if os.name == "nt" else "nexus"
    dirs = [sysconfig.get_path("scripts")]
    try:
        user_scheme = sysconfig.get_preferred_scheme("user")
    except (AttributeError, KeyError):  # Python < 3.10
        user_scheme = "nt_user" if os.name == "nt" else "posix_user"
    try:
        dirs.append(sysconfig.get_path("scripts", scheme=user_scheme))
    except KeyError:
        pass
    dirs.append(os.path.dirname(sys.executable))
    for d in dirs:
        if d:
            candidate = os.path.join(d, exe)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None

"""The import hook: when wandb's ``wandb.util`` or its service launcher is imported, their
``get_core_path`` is replaced by one returning the nexus binary. Until then it costs one entry on
``sys.meta_path``; it never imports wandb itself.

The original core stays where wandb put it; its path is passed to nexus in ``NEXUS_WANDB_CORE``,
so that wandb-core commands nexus does not implement can be handed to it.
"""

from __future__ import annotations

import os
import sys

_PATCHED = ("wandb.util", "wandb.sdk.lib.service.service_process")
_warned = False


def _warn(text: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        sys.stderr.write(f"nexus: {text}\n")


def _wandb_version() -> str:
    wandb = sys.modules.get("wandb")
    version = getattr(wandb, "__version__", None)
    if isinstance(version, str):
        return version
    from importlib.metadata import version as dist_version

    return dist_version("wandb")


def _patch(module) -> None:
    from nexus_wandb import SUPPORTED_WANDB, binary_path

    original = getattr(module, "get_core_path", None)
    if original is None or getattr(original, "_nexus", False):
        return
    version = _wandb_version()
    if not version.startswith(SUPPORTED_WANDB):
        _warn(
            f"wandb {version} is not supported by this nexus (it speaks wandb {', '.join(s + 'x' for s in SUPPORTED_WANDB)}); "
            "wandb keeps its own wandb-core. Install a supported wandb, or `pip uninstall nexus-wandb`."
        )
        return
    path = binary_path()
    if path is None:
        _warn("the nexus binary of the nexus-wandb package is missing; wandb keeps its own wandb-core (reinstall nexus-wandb)")
        return

    def get_core_path() -> str:
        try:
            os.environ.setdefault("NEXUS_WANDB_CORE", original())
        except Exception:  # wandb's own core is missing on this platform: nothing to hand over
            pass
        return path

    get_core_path._nexus = True  # type: ignore[attr-defined]
    get_core_path.__doc__ = original.__doc__
    module.get_core_path = get_core_path


class _Loader:
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        self._loader.exec_module(module)
        try:
            _patch(module)
        except Exception as err:  # never break `import wandb`
            _warn(f"could not make wandb use nexus ({err!r}); wandb keeps its own wandb-core")

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Finder:
    """Finds the patched modules with the other finders and wraps their loaders."""

    def find_spec(self, name, path=None, target=None):
        if name not in _PATCHED:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader)
                return spec
        return None


def install() -> None:
    if os.environ.get("NEXUS_WANDB_DISABLE", "").strip().lower() in ("1", "true", "yes", "on"):
        return
    if any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())
    # wandb imported before this ran (an unusual site order): patch what is loaded
    for name in _PATCHED:
        module = sys.modules.get(name)
        if module is not None:
            _patch(module)


install()

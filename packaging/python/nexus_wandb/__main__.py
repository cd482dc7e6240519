"""``python -m nexus_wandb ARGS``: runs the installed nexus binary with ARGS."""

import os
import sys

from nexus_wandb import binary_path


def main() -> None:
    path = binary_path()
    if path is None:
        sys.stderr.write("nexus: the nexus binary of the nexus-wandb package is missing; reinstall it (pip install --force-reinstall nexus-wandb)\n")
        sys.exit(1)
    if os.name == "nt":
        import subprocess

        sys.exit(subprocess.call([path, *sys.argv[1:]]))
    os.execv(path, [path, *sys.argv[1:]])


if __name__ == "__main__":
    main()

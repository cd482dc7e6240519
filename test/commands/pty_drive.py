"""Runs a command on a pseudo-terminal and types an answer at its prompt.

Usage: python pty_drive.py PROMPT ANSWER CMD [ARG...]
Waits until the output contains PROMPT, types ANSWER and Enter, then prints everything the
terminal showed and exits with the command's exit code. Gives up after 60 seconds.
"""

import os
import pty
import select
import sys
import time

prompt, answer, argv = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)

out = b""
typed = False
deadline = time.time() + 60
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        out += data
    if not typed and prompt in out:
        os.write(fd, answer + b"\r")
        typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))

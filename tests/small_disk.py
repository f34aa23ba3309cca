"""A small filesystem of a test's own (an 8 MiB tmpfs, mounted as root), to fill for real."""
import errno
import subprocess
from contextlib import contextmanager

import pytest


@contextmanager
def small_disk(folder, size="8m"):
    """`folder`, created, with a tmpfs of `size` mounted on it; skips the test where mounting is not allowed."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(disk):
    """Write a file until the disk refuses more: what a runaway log or backup does."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as full:
            assert full.errno == errno.ENOSPC
    return filler

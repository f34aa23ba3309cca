"""Bulk import speed: claims per second through the service's NDJSON import, when it has one."""
import subprocess

from .servers import BIN, ROOT, environment


def import_rate(log_path):
    """None while the service has no `flask --app service import` command."""
    probe = subprocess.run([str(BIN / "flask"), "--app", "service", "import", "--help"], cwd=ROOT,
                           env=environment(), capture_output=True)
    if probe.returncode != 0:
        return None
    raise NotImplementedError("measure the import command here")

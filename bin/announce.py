"""`make run`'s welcome: once the service answers /ready, print where it is and how to get a key, in lines
that stand out from the JSON log. Runs beside the server and gives up quietly if it never comes up.

    python bin/announce.py URL KEY_COMMAND
"""
import os
import sys
import time
import urllib.error
import urllib.request

WAIT_SECONDS = 300  # a first run installs nothing here, but migrating and seeding a cold database takes a while


def ready(url):
    try:
        with urllib.request.urlopen(f"{url}/ready", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def banner(url, key_command):
    rule = "=" * 78
    return "\n".join([
        "", rule,
        f"  Claimtrail is up:  {url}",
        f"  API docs:          {url}/docs",
        f"  Review console:    {url}/console/",
        "  Writes need an API key. Make one with:",
        f"    {key_command}",
        "  Ctrl-C stops the server.",
        rule, "",
    ])


def main(url, key_command):
    parent = os.getppid()
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and os.getppid() == parent:  # `make run` gone: nobody to tell
        if ready(url):
            print(banner(url, key_command), file=sys.stderr, flush=True)
            return
        time.sleep(0.2)


if __name__ == "__main__":
    main(*sys.argv[1:])

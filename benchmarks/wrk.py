"""Run wrk (https://github.com/wg/wrk) and read its figures."""
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).resolve().parent / "lua"
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass
class Load:
    requests_per_second: float
    latency_ms: dict  # percentile ("50", "75", "90", "99") -> milliseconds
    requests: int
    errors: int  # non-2xx answers and socket errors
    accepted: int | None = None  # status changes only: answers that were a real change
    seconds: float = 0.0
    cpu_seconds: float | None = None  # what the app's workers used meanwhile, when the caller measured it

    @property
    def counted(self):
        """What counts: every answered request, or for status changes only the accepted ones."""
        return self.requests if self.accepted is None else self.accepted

    @property
    def rate(self):
        return self.requests_per_second if self.accepted is None else self.accepted / self.seconds

    @property
    def cpu_ms(self):
        """The workers' CPU time per counted request."""
        return self.cpu_seconds * 1000 / self.counted


def run(url, *, seconds, threads, connections, script=None, script_args=()):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", str(LUA / script)]
    command.append(url)
    if script_args:
        command += ["--", *map(str, script_args)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse(output, seconds)


def parse(output, seconds):
    def number(pattern):
        match = re.search(pattern, output)
        return match.group(1) if match else None

    latency = {p: float(v) * UNITS[unit]
               for p, v, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    accepted = number(r"status changes: accepted (\d+)")
    return Load(
        requests_per_second=float(number(r"Requests/sec:\s+([\d.]+)")),
        latency_ms=latency,
        requests=int(number(r"(\d+) requests in")),
        errors=int(number(r"Non-2xx or 3xx responses: (\d+)") or 0) + socket_errors,
        accepted=int(accepted) if accepted is not None else None,
        seconds=seconds,
    )

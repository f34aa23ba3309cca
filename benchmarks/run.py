"""`make bench`: the service against the bare Flask app under the same gunicorn settings, at 10,000
and 1,000,000 claims, with wrk; prints the figures and writes them to benchmarks/results.md and .json.

    python -m benchmarks.run [--quick] [--seconds 3]

Absolute rates on a shared machine are noisy, so the targets are ratios taken in one run: each
endpoint against the bare app, and list and search at 1,000,000 claims against 10,000. Both apps
run at once and take turns in short rounds, so a busy moment weighs on both sides of a ratio.
"""
import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from . import servers, wrk
from .generate import CACHE_DIR, cached
from .imports import import_rate, sqlite_share

SERVICE_PORT, BARE_PORT = 8361, 8362
THREADS, CONNECTIONS = 2, 8  # wrk's; the apps have 2 workers x 4 threads
ROUNDS, WARM_UP_SECONDS = 3, 1
# A fact-checker's queue (claims in review on one topic), and a search as a reader would type it.
LIST_PATH = "/claims?status=in_review&tag=health&limit=20"
SEARCH_PATH = "/claims?q=hospital+waiting+times+Leeds&limit=20"
ENDPOINTS = ("get", "list", "search", "status")
NAMES = {"get": "get one claim", "list": "filtered list", "search": "full-text search",
         "status": "status change + audit event"}
TARGET_RATIO = {"get": 0.6, "list": 0.6, "search": 0.4, "status": 0.25}
SCALE_TARGET, IMPORT_SHARE_TARGET, RSS_TARGET_MB = 1.5, 0.5, 150


def claim_ids(database, count, where="1"):
    """Up to `count` random claims' public ids among those matching `where`."""
    db = sqlite3.connect(database)
    (highest,) = db.execute("SELECT max(id) FROM claim").fetchone()
    picks = random.Random(7).sample(range(1, highest + 1), min(highest, count * 2))
    rows = db.execute(f"SELECT uid FROM claim WHERE id IN ({','.join(map(str, picks))}) AND {where}").fetchall()
    db.close()
    return [uid for (uid,) in rows][:count]


def fetch(url, method="GET", headers=None, body=None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def working_copy(claims_count):
    """A fresh copy of the generated database: the status changes write to it."""
    work = CACHE_DIR / "work.db"
    for old in (work, Path(f"{work}-wal"), Path(f"{work}-shm")):
        old.unlink(missing_ok=True)
    shutil.copyfile(cached(claims_count), work)
    return work


def load(base, endpoint, files, seconds, authorization=None, pool=None):
    """wrk against one endpoint for `seconds`; status changes take their claim ids from `pool`."""
    if endpoint == "status":
        return wrk.run(base, seconds=seconds, threads=THREADS, connections=CONNECTIONS, script="status_change.lua",
                       script_args=(pool, authorization, THREADS))
    url, script, script_args = base + {"list": LIST_PATH, "search": SEARCH_PATH}.get(endpoint, ""), None, ()
    if endpoint == "get":
        script, script_args = "random_path.lua", (files["paths"],)
    return wrk.run(url, seconds=seconds, threads=THREADS, connections=CONNECTIONS, script=script,
                   script_args=script_args)


def measured_load(master, *args):
    """`load`, with the CPU time the app's workers spent meanwhile."""
    before = servers.workers_cpu_seconds(master)
    result = load(*args)
    result.cpu_seconds = servers.workers_cpu_seconds(master) - before
    return result


def pooled(loads):
    """Rounds of one app on one endpoint as one Load: their requests over their time, median latencies."""
    seconds = sum(load.seconds for load in loads)
    accepted = None if loads[0].accepted is None else sum(load.accepted for load in loads)
    return wrk.Load(
        requests_per_second=sum(load.requests for load in loads) / seconds,
        latency_ms={p: statistics.median(load.latency_ms[p] for load in loads)
                    for p in set.intersection(*(set(load.latency_ms) for load in loads))},
        requests=sum(load.requests for load in loads), errors=sum(load.errors for load in loads),
        accepted=accepted, seconds=seconds, cpu_seconds=sum(load.cpu_seconds for load in loads))


def measure_scale(claims_count, seconds, log_path):
    """The apps run at once and take turns: each endpoint gets ROUNDS rounds of the service then the bare
    app, so that whatever else the machine does in a moment weighs on both sides of each ratio."""
    database = working_copy(claims_count)
    url = f"sqlite:///{database}"
    authorization = servers.make_key(url)
    files = {"paths": CACHE_DIR / "paths.txt"}
    files["paths"].write_text("".join(f"/claims/{uid}\n" for uid in claim_ids(database, 2000)))
    pool = claim_ids(database, 50_000, "status = 'unverified' AND version = 1")
    # Each round of status changes gets claims no round before it touched, so each of its changes is real.
    pools = [CACHE_DIR / f"pool-{n}.txt" for n in range(ROUNDS)]
    for n, path in enumerate(pools):
        path.write_text("\n".join(pool[1 + n::ROUNDS]) + "\n")
    figures = {"claims": claims_count, "service": {}, "bare": {}}
    service_base = f"http://127.0.0.1:{SERVICE_PORT}"
    with ExitStack() as running:
        service_master = running.enter_context(servers.service(url, SERVICE_PORT, log_path))
        read_paths = {"get": files["paths"].read_text().split()[0], "list": LIST_PATH, "search": SEARCH_PATH}
        documents = {name: fetch(service_base + path) for name, path in read_paths.items()}
        # the answers the bare app will give: the service's own, so the same size
        documents["status"] = fetch(f"{service_base}/claims/{pool[0]}/reviews", "POST", body=b"{}", headers={
            "Authorization": authorization, "If-Match": '"v1"', "Content-Type": "application/json"})
        figures["response_bytes"] = {k: len(json.dumps(v, separators=(",", ":"))) for k, v in documents.items()}
        figures["search_hits"] = len(documents["search"]["items"])
        figures["list_hits"] = len(documents["list"]["items"])
        documents_path = CACHE_DIR / "documents.json"
        documents_path.write_text(json.dumps(documents))
        bare_master = running.enter_context(servers.bare_app(documents_path, BARE_PORT, log_path))
        apps = [("service", service_base, service_master), ("bare", f"http://127.0.0.1:{BARE_PORT}", bare_master)]
        for endpoint in ENDPOINTS:
            taking_turns = apps
            if endpoint != "status":  # warm them up: caches, connections, the first request's imports
                for _, base, _ in taking_turns:
                    load(base, endpoint, files, WARM_UP_SECONDS)
            rounds = {side: [] for side, _, _ in taking_turns}
            for n in range(ROUNDS):
                for side, base, master in taking_turns:
                    rounds[side].append(measured_load(master, base, endpoint, files, seconds, authorization,
                                                      pools[n]))
            for side in rounds:
                figures[side][endpoint] = pooled(rounds[side])
        figures["bare_worker_peak_rss_mb"] = servers.worker_peak_rss_mb(bare_master)
        figures["service_worker_peak_rss_mb"] = servers.worker_peak_rss_mb(service_master)
    return figures


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return (f"{cpu}, {len(Path('/proc/cpuinfo').read_text().split('processor')) - 1} cores, "
            f"{memory_kb / 1024 / 1024:.0f} GB; Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def worker_class():
    """The worker both apps run under: gunicorn.conf.py's default unless GUNICORN_WORKER_CLASS says otherwise."""
    chosen = os.environ.get("GUNICORN_WORKER_CLASS") or "gevent"
    return f"{chosen} worker" + (f" x {servers.SETTINGS['GUNICORN_THREADS']} threads" if chosen == "gthread" else "")


def verdict(ok):
    return "met" if ok else "NOT met"


def report(scales, imports, seconds, command):
    """The figures as a Markdown document."""
    lines = [f"Command: `{command}` ({time.strftime('%Y-%m-%d')})", "",
             f"Machine: {machine()}", "",
             f"Both apps: gunicorn, {servers.SETTINGS['WEB_CONCURRENCY']} workers, {worker_class()}, "
             f"SQLite (WAL); wrk -t{THREADS} "
             f"-c{CONNECTIONS}; per endpoint, {ROUNDS} rounds of {seconds} s each, the service and the bare app "
             f"taking turns, after a {WARM_UP_SECONDS} s warm-up of each. Rates are all rounds' requests over "
             "their time; latencies are the rounds' medians. CPU ms is the CPU time the app's gunicorn workers "
             "used in the rounds over the requests counted (wrk's own is not in it): other work on the machine "
             "moves it less than it moves rates.", ""]
    for figures in scales:
        lines += [f"### {figures['claims']:,} claims", "",
                  "| endpoint | service req/s | p50 ms | p99 ms | bare req/s | ratio | target | | "
                  "service CPU ms | bare CPU ms | CPU ratio |",
                  "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
        for endpoint in ENDPOINTS:
            mine, bare = figures["service"][endpoint], figures["bare"][endpoint]
            ratio = mine.rate / bare.rate
            lines.append(f"| {NAMES[endpoint]} | {mine.rate:,.0f} | {mine.latency_ms['50']:.1f} | "
                         f"{mine.latency_ms['99']:.1f} | {bare.rate:,.0f} | {ratio:.2f} | "
                         f"≥ {TARGET_RATIO[endpoint]} | {verdict(ratio >= TARGET_RATIO[endpoint])} | "
                         f"{mine.cpu_ms:.2f} | {bare.cpu_ms:.2f} | {bare.cpu_ms / mine.cpu_ms:.2f} |")
        status = figures["service"]["status"]
        rss = figures["service_worker_peak_rss_mb"]
        lines += ["", f"Status changes: {status.accepted:,} accepted (each a review, the claim's new version and "
                      f"two audit events), {status.requests - status.accepted:,} refused; only accepted ones count. "
                      f"Responses: {figures['response_bytes']} bytes; the list page held {figures['list_hits']} "
                      f"claims, the search page {figures['search_hits']}.",
                  f"Peak RSS of a service worker: {rss:.0f} MB (target < {RSS_TARGET_MB}: {verdict(rss < RSS_TARGET_MB)}); "
                  f"bare app worker: {figures['bare_worker_peak_rss_mb']:.0f} MB.", ""]
    if len(scales) > 1:
        small, large = scales[0], scales[-1]
        lines += [f"### {large['claims']:,} against {small['claims']:,} claims", "",
                  "| endpoint | time per request, ratio (from req/s) | p50 ratio | target | | CPU ms ratio |",
                  "|---|---:|---:|---:|---|---:|"]
        for endpoint in ("list", "search"):
            before, after = small["service"][endpoint], large["service"][endpoint]
            slower = before.rate / after.rate
            p50 = after.latency_ms["50"] / before.latency_ms["50"]
            lines.append(f"| {NAMES[endpoint]} | {slower:.2f} | {p50:.2f} | ≤ {SCALE_TARGET} | "
                         f"{verdict(slower <= SCALE_TARGET)} | {after.cpu_ms / before.cpu_ms:.2f} |")
        lines.append("")
    alone = imports["sqlite_only"]
    per_claim, sqlite_per_claim = 1e6 / imports["rate"], 1e6 / alone["rate"]
    share = imports["rate"] / alone["rate"]
    lines += ["### Bulk import", "",
              f"{imports['claims']:,} claims from NDJSON in {imports['seconds']:.1f} s: {imports['rate']:,.0f} claims/s.",
              "",
              f"SQLite alone, the same import's statements replayed with no Python around them: {alone['seconds']:.1f} s, "
              f"{alone['rate']:,.0f} claims/s. The import runs at {share:.2f} of that (target ≥ {IMPORT_SHARE_TARGET}: "
              f"{verdict(share >= IMPORT_SHARE_TARGET)}): of its {per_claim:,.0f} µs a claim, SQLite's share is "
              f"{sqlite_per_claim:,.0f} µs and the rest, {per_claim - sqlite_per_claim:,.0f} µs, is Python.", ""]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description="Benchmark the service against a bare Flask app.")
    parser.add_argument("--quick", action="store_true", help="10,000 claims only")
    parser.add_argument("--seconds", type=int, default=3, help="wrk duration of each round")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install -y wrk)")
    CACHE_DIR.mkdir(exist_ok=True)
    log_path = CACHE_DIR / "servers.log"
    log_path.unlink(missing_ok=True)
    scales = []
    for claims_count in (10_000,) if args.quick else (10_000, 1_000_000):
        print(f"== {claims_count:,} claims", flush=True)
        scales.append(measure_scale(claims_count, args.seconds, log_path))
    imports = {**import_rate(), "sqlite_only": sqlite_share()}
    command = "make bench" + (" ARGS=--quick" if args.quick else "")
    text = report(scales, imports, args.seconds, command)
    print(text)
    suffix = "-quick" if args.quick else ""
    (Path(__file__).parent / f"results{suffix}.md").write_text(text)
    (Path(__file__).parent / f"results{suffix}.json").write_text(json.dumps(
        {"scales": scales, "imports": imports}, default=lambda load: {**vars(load), "rate": load.rate}, indent=1))


if __name__ == "__main__":
    main()

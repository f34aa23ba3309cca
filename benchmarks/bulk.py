"""Time and peak memory of `flask import` and `flask export` on a generated NDJSON file.

    .venv/bin/python benchmarks/bulk.py --lines 1000000 --dir /tmp/claimtrail-bench
    .venv/bin/python benchmarks/bulk.py --lines 100000 --database-url postgresql://postgres@127.0.0.1:5432/bench

Each line is a claim with its own two-sentence source, one of 1000 speakers, and (every other line) a
review in progress and a verdict with a URL as evidence. Each step runs as its own process; its peak RSS
is the kernel's figure for that process.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

FLASK = [str(Path(sys.executable).with_name("flask")), "--app", "service.app"]


def line(n):
    text = f"Report {n}. Officials said exports rose {n % 97} percent in {2000 + n % 25}, the agency added."
    quote_start = text.index("Officials")
    source_id, speaker = str(uuid.uuid4()), n % 1000
    reviews = [] if n % 2 else [
        {"id": str(uuid.uuid4()), "status": "in_review", "verdict": None, "rationale": None, "reviewer": "bench",
         "evidence": []},
        {"id": str(uuid.uuid4()), "status": "half_true", "verdict": "half_true", "rationale": "Partly.",
         "reviewer": "bench", "evidence": [{"stance": "context", "url": f"https://stats.example/{n}"}]},
    ]
    return {
        "id": str(uuid.uuid4()), "external_id": f"bench:{n}", "text": f"Exports rose {n % 97} percent.",
        "claim_date": None, "status": "half_true" if reviews else "unverified", "tags": ["economy", f"t{n % 50}"],
        "speaker": {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-speaker-{speaker}")),
                    "name": f"Speaker {speaker}", "kind": "person"},
        "appearances": [{
            "id": str(uuid.uuid4()), "source_id": source_id, "sentence_index": 1,
            "quote_selector": {"type": "TextQuoteSelector", "exact": text[quote_start:], "prefix": text[:quote_start],
                               "suffix": ""},
            "position_selector": {"type": "TextPositionSelector", "start": quote_start, "end": len(text)},
        }],
        "reviews": reviews,
        "sources": [{"id": source_id, "title": f"Report {n}", "text": text,
                     "sentences": [[0, quote_start - 1], [quote_start, len(text)]]}],
    }


def generate(path, count):
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps(line(n), separators=(",", ":")) + "\n")


def measure(label, args, env):
    started = time.monotonic()
    process = subprocess.Popen(FLASK + args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    print(f"{label}: {elapsed:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MiB, exit {os.waitstatus_to_exitcode(status)}"
          f" | {output.strip().splitlines()[-1] if output.strip() else ''}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--dir", default="/tmp/claimtrail-bench")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in --dir")
    options = parser.parse_args()
    folder = Path(options.dir)
    folder.mkdir(parents=True, exist_ok=True)
    source, database = folder / f"claims-{options.lines}.ndjson", folder / "bench.db"
    if not source.exists():
        generate(source, options.lines)
    for stale in folder.glob("bench.db*"):
        stale.unlink()
    env = {**os.environ, "DATABASE_URL": options.database_url or f"sqlite:///{database}"}
    print(f"{options.lines} lines, {source.stat().st_size / 2**20:.0f} MiB, {env['DATABASE_URL']}", flush=True)
    subprocess.run(FLASK + ["migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    measure("import", ["import", str(source)], env)
    measure("import again", ["import", str(source)], env)
    measure("export", ["export", "--out", str(folder / "exported.ndjson")], env)
    measure("audit verify", ["audit", "verify"], env)


if __name__ == "__main__":
    main()

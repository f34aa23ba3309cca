"""Candidate extraction measured: quality on the labelled set, speed and memory.

    python -m benchmarks.extraction            quality, the seed article, 1,000 words' time, peak RSS
    python -m benchmarks.extraction --large    also a 2 MB source (about a minute)
    python -m benchmarks.extraction --verbose  also every miss, extra candidate and wrong speaker
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "extraction" / "articles"
HELD_OUT = ROOT / "tests" / "extraction" / "heldout"  # never used to change the rules
SEEDS = ROOT / "seeds"


def load_articles(folder=ARTICLES):
    return [yaml.safe_load(path.read_text(encoding="utf-8")) | {"file": path.name}
            for path in sorted(folder.glob("*.yaml"))]


def load_seed():
    """The seed article's text as stored, its curated claims and its speakers as stored speakers."""
    from service.actions.seeding import split_article

    manifest = yaml.safe_load((SEEDS / "claims.yaml").read_text(encoding="utf-8"))
    _, text = split_article((SEEDS / manifest["source"]["file"]).read_text(encoding="utf-8"))
    known = [{"id": key, **person} for key, person in manifest["speakers"].items()]
    return text, manifest["source"].get("publisher"), manifest["claims"], known


def quality(articles):
    """Per-article results and the set's figures."""
    from service.rules.extraction import evaluation
    from service.rules.extraction.candidates import propose
    from service.rules.segmenting import split_sentences

    results = []
    for article in articles:
        text = article["text"]
        sentences = split_sentences(text)
        gold = evaluation.gold_statements(text, article["statements"], sentences)
        candidates = propose(text, publisher=article.get("publisher"),
                             known_speakers=article.get("known_speakers") or ())
        results.append((article, gold, candidates, evaluation.evaluate_article(gold, candidates)))
    return results, evaluation.summarise([r[3] for r in results])


def seed_check():
    from service.rules.extraction import evaluation
    from service.rules.extraction.candidates import propose
    from service.rules.segmenting import split_sentences

    text, publisher, claims, known = load_seed()
    candidates = propose(text, publisher=publisher, known_speakers=known)
    names = {k["id"]: k["name"] for k in known}
    return claims, evaluation.seed_misses(candidates, claims, split_sentences(text), names)


def article_of_words(words=1000):
    """About `words` words of news: the labelled articles one after another, whole paragraphs."""
    paragraphs = [p for a in load_articles() for p in a["text"].split("\n\n") if p.strip()]
    chosen, count = [], 0
    for paragraph in paragraphs * 3:
        chosen.append(paragraph.strip())
        count += len(paragraph.split())
        if count >= words:
            break
    return "\n\n".join(chosen)


def large_source(size=2_000_000):
    """A source of about `size` characters (the labelled articles repeated, paragraphs kept)."""
    block = article_of_words(1000)
    return "\n\n".join([block] * (size // len(block) + 1))[:size].rsplit("\n\n", 1)[0]


# Peak RSS from VmHWM: ru_maxrss survives exec, so a child started by a process holding the model
# would report the parent's peak.
_CHILD = """
import json, sys, time
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
import service.app  # what a worker imports anyway
before = peak_kb()
from benchmarks.extraction import article_of_words, large_source
from service.rules.extraction.candidates import iter_candidates
from service.rules.extraction import pipeline
text = large_source() if sys.argv[1] == "large" else article_of_words(1000)
start = time.perf_counter()
count = sum(1 for _ in iter_candidates(text)) if sys.argv[1] != "none" else 0
print(json.dumps({"rss_before_kb": before, "peak_rss_kb": peak_kb(),
                  "seconds": time.perf_counter() - start, "candidates": count, "chars": len(text),
                  "loaded": pipeline.is_loaded()}))
"""


def run_child(mode):
    """Peak RSS of a fresh process that imports the service and extracts (mode: none, article, large)."""
    out = subprocess.run([sys.executable, "-c", _CHILD, mode], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def speed(repeats=5):
    """Seconds to extract from a 1,000-word article once the pipeline is loaded (median of repeats)."""
    from service.rules.extraction import pipeline
    from service.rules.extraction.candidates import propose

    text = article_of_words(1000)
    pipeline.load()
    propose(text)  # warm caches (vocabulary strings, lemmatiser tables)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        propose(text)
        times.append(time.perf_counter() - start)
    return len(text.split()), statistics.median(times), min(times)


def report(title, folder, verbose):
    results, figures = quality(load_articles(folder))
    print(f"{'article':34} {'gold':>4} {'cand':>4} {'match':>5} {'spk':>4} {'P@5':>5}")
    for article, gold, candidates, result in results:
        print(f"{article['file']:34} {result['gold']:4} {result['candidates']:4} {result['matched']:5} "
              f"{result['speaker_correct']:4} {result['p_at_5']:5.2f}")
        if verbose:
            text = article["text"]
            for g in result["misses"]:
                print(f"    missed: {text[gold[g].start:gold[g].end]!r} ({gold[g].speaker})")
            for c in result["extra"]:
                print(f"    extra:  {candidates[c].quote.exact!r} ({candidates[c].speaker.name})")
            for g, c in result["wrong_speaker"]:
                print(f"    speaker: {candidates[c].speaker.name!r} ({candidates[c].speaker.how}) for "
                      f"{gold[g].speaker!r}: {candidates[c].quote.exact!r}")
    print(f"{title}: {figures['articles']} articles, {figures['statements']} statements, "
          f"{figures['candidates']} candidates")
    print(f"  detection precision  {figures['precision']:.3f}   (target >= 0.85)")
    print(f"  detection recall     {figures['recall']:.3f}   (target >= 0.85)")
    print(f"  speaker accuracy     {figures['speaker_accuracy']:.3f}   (target >= 0.9)")
    print(f"  mean quote overlap   {figures['quote_overlap']:.3f}   (target >= 0.8)")
    print(f"  P@5 check-worthiness {figures['p_at_5']:.3f}   (mean over articles)")
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    # memory first: children measured before this process loads the model
    idle, worked = run_child("none"), run_child("article")
    large = run_child("large") if args.large else None

    for title, folder in (("labelled set", ARTICLES), ("held-out set", HELD_OUT)):
        report(title, folder, args.verbose)

    claims, misses = seed_check()
    print(f"seed article: {len(claims) - len(misses)} of {len(claims)} curated claims' sentences proposed "
          f"with the curated speaker")
    for claim in misses:
        print(f"    missed: {claim['quote']!r} ({claim['speaker']})")

    words, median, best = speed()
    print(f"speed: {words} words in {median:.3f} s (median of 5, best {best:.3f} s) after loading; "
          f"target < 1 s")
    print(f"memory: peak RSS {worked['peak_rss_kb'] / 1024:.0f} MB for a process that imported the service "
          f"and extracted from {words} words (target < 300 MB); {idle['peak_rss_kb'] / 1024:.0f} MB if it "
          f"never extracts (pipeline loaded: {idle['loaded']})")
    if large:
        print(f"2 MB source: {large['chars']:,} characters, {large['candidates']:,} candidates in "
              f"{large['seconds']:.1f} s, peak RSS {large['peak_rss_kb'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()

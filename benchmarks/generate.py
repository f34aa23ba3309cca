"""A synthetic Claimtrail database, built fast and valid: `python -m benchmarks.generate CLAIMS PATH`.

Sources are briefings of real-looking sentences, each sentence carrying two claims by one speaker;
claims are anchored to their exact quotes, tagged, indexed for search, and some are reviewed. Rows
are written in bulk (executemany in large transactions) instead of one rule call per claim, but every
row and audit event is built by the service's own functions (segmenting, anchoring, snapshots, the
audit chain), so the result passes `flask audit verify` and reads like data the API wrote.
"""
import argparse
import hashlib
import os
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path


from service import claims, reviews, search, sources, speakers
from service.app import create_app
from service.audit import Context, chained, verify_chain
from service.config import Config
from peewee import ForeignKeyField

from service.db import database, insert_all
from service.models import Appearance, AuditEvent, Claim, ClaimTag, Review, Sentence, Source, Speaker
from service.provenance import anchor_quote, text_sha256
from service.segmenting import Span, split_sentences

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "benchmarks" / "data"
SENTENCES_PER_SOURCE = 25  # two claims each
SOURCES_PER_TRANSACTION = 200
# pysbd takes over a millisecond a sentence: a million claims would spend ten minutes there. The
# sentences are made to end plainly, so their spans are known; every CHECK_EVERY-th source is
# split by the service's own segmenter to prove the two agree.
CHECK_EVERY = 25
FIRST_EVENT_AT = datetime(2023, 1, 2, 8, 0)

FIRST_NAMES = ("Amara Ben Carla Dmitri Elena Farid Grace Hiro Ines Jonas Kemi Luca Maya Nils Olga Priya Quinn Rosa "
               "Sami Tara Umar Vera Wen Ximena Yusuf Zoe Anders Bianca Callum Delia Emeka Fiona Goran Hana Ivan "
               "Julia Kofi Leila Marco Nadia").split()
LAST_NAMES = ("Okafor Lindqvist Moreau Tanaka Alvarez Novak Haddad Fischer O'Brien Kowalski Mensah Rossi Sato "
              "Petrov Nguyen Silva Brennan Dubois Keller Larsen Mbeki Quispe Ramos Schulz Varga Weber Yilmaz "
              "Zhang Abbott Castillo").split()
ROLES = ("Finance Minister", "Health Secretary", "Mayor", "opposition leader", "union spokesperson",
         "think-tank economist", "police commissioner", "party chair", "Education Minister", "council leader")
PLACES = ("Leeds Glasgow Cardiff Belfast Bristol Manchester Liverpool Newcastle Sheffield Nottingham Leicester "
          "Coventry Bradford Hull Plymouth Derby Swansea Aberdeen Dundee Norwich Exeter York Oxford Cambridge "
          "Brighton Reading Luton Bolton Stoke Wolverhampton Sunderland Southampton Portsmouth Preston Ipswich "
          "Lincoln Carlisle Inverness Bangor Durham").split()
METRICS = (  # (what is measured, its tag)
    ("unemployment", "economy"), ("inflation", "economy"), ("average wages", "economy"),
    ("business investment", "economy"), ("hospital waiting times", "health"), ("ambulance response times", "health"),
    ("the number of nurses", "health"), ("mental health referrals", "health"), ("violent crime", "crime"),
    ("burglaries", "crime"), ("knife crime", "crime"), ("average rents", "housing"), ("house prices", "housing"),
    ("homelessness", "housing"), ("carbon emissions", "climate"), ("renewable energy output", "climate"),
    ("school funding per pupil", "education"), ("class sizes", "education"), ("university applications", "education"),
    ("bus journeys", "transport"), ("rail fares", "transport"), ("road deaths", "transport"),
    ("net migration", "immigration"), ("asylum applications", "immigration"), ("child poverty", "welfare"),
    ("food bank use", "welfare"), ("energy bills", "energy"), ("fuel prices", "energy"),
)
VERBS = ("rose", "fell", "climbed", "dropped", "increased", "decreased")
OPENINGS = ("{who}, said that {a}, and that {b}.", "According to {who}, {a}, while {b}.",
            "{who}, told reporters that {a} and {b}.", "In a speech, {who}, claimed that {a}, and added that {b}.")
FILLER_TAGS = ("election-2024", "budget", "fact-check-week", "local")
PUBLISHERS = ("The Northern Ledger", "Daily Courier", "City Broadcast", "The Evening Post", "Westminster Weekly",
              "Regional News Service")
VERDICTS = ("true", "mostly_true", "half_true", "mostly_false", "false", "pants_on_fire", "unproven")
CHECKERS = ("Ada Checker", "Bo Verifier", "Cy Researcher")


class Generator:
    def __init__(self, seed):
        self.random = random.Random(seed)
        self.speakers = []
        self.last_event = None
        self.next_id = {model: 1 for model in (Source, Sentence, Speaker, Claim, ClaimTag, Appearance, Review)}
        self.rows = {}

    # ---- the pieces of text -------------------------------------------------------------------
    def clause(self):
        r = self.random
        metric, tag = r.choice(METRICS)
        place, verb, year = r.choice(PLACES), r.choice(VERBS), r.randint(2015, 2024)
        figure = f"{r.randint(1, 40)}.{r.randint(0, 9)} percent"
        return f"{metric} in {place} {verb} by {figure} in {year}", tag

    def source_plan(self, index):
        """The text of one briefing and, per sentence, its speaker and two (quote, tag) clauses."""
        r = self.random
        people = r.sample(self.speakers, k=min(3, len(self.speakers)))
        sentences = []
        for _ in range(SENTENCES_PER_SOURCE):
            speaker = r.choice(people)
            (a, tag_a), (b, tag_b) = self.clause(), self.clause()
            text = r.choice(OPENINGS).format(who=f"{speaker.name}, the {speaker.role}", a=a, b=b)
            sentences.append((text, speaker, ((a, tag_a), (b, tag_b))))
        published = date(2016, 1, 1) + timedelta(days=r.randint(0, 3600))
        meta = {"title": f"{people[0].name} briefing #{index}", "publisher": r.choice(PUBLISHERS),
                "url": f"https://news.example/briefings/{index}", "published_date": published}
        return meta, " ".join(text for text, _, _ in sentences), sentences

    # ---- rows and their audit events ----------------------------------------------------------
    def new(self, model, **fields):
        row = model(id=self.next_id[model], **fields)
        self.next_id[model] += 1
        self.rows.setdefault(model, []).append(row)
        return row

    def event(self, actor, resource_type, resource_id, action, before, after, reason=None):
        self.last_event = chained(self.last_event, Context(actor=actor), resource_type, resource_id, action,
                                  before, after, reason, at=self.next_at())
        self.rows.setdefault(AuditEvent, []).append(self.last_event)

    def make_speakers(self, count):
        r = self.random
        for _ in range(count):
            name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
            at = self.next_at()
            speaker = self.new(Speaker, name=name, aliases=[], role=r.choice(ROLES), affiliation=None,
                               external_id=None, created_at=at, updated_at=at, version=1)
            self.event("generator", "speaker", speaker.uid, "create", None,
                       speakers.store_document(speaker, speakers.snapshot(speaker)))
            self.speakers.append(speaker)

    def add_source(self, index, meta, text, planned):
        spans = _spans([sentence for sentence, _, _ in planned])
        if index % CHECK_EVERY == 0 and split_sentences(text) != spans:
            raise RuntimeError(f"source {index}: the service splits its sentences differently")
        at = self.next_at()
        source = self.new(Source, text=text, sha256=text_sha256(text), sentence_count=len(spans), language="en",
                          created_at=at, version=1, **meta)
        self.event("generator", "source", source.uid, "create", None, sources.snapshot(source))
        rows = [self.new(Sentence, source=source.id, index=s.index, start=s.start, end=s.end, text=s.text)
                for s in spans]
        for sentence, (_, speaker, clauses) in zip(rows, planned):
            for quote, tag in clauses:
                self.add_claim(source, sentence, speaker, quote, tag)

    def next_at(self):
        """The time of the next audit event: half a second after the last."""
        return FIRST_EVENT_AT + timedelta(seconds=((self.last_event.seq if self.last_event else 0) + 1) * 0.5)

    def add_claim(self, source, sentence, speaker, quote, tag):
        r = self.random
        at = self.next_at()
        tags = [tag] + ([r.choice(FILLER_TAGS)] if r.random() < 0.3 else [])
        claim = self.new(Claim, text=quote[0].upper() + quote[1:] + ".", speaker=speaker.id,
                         claim_date=source.published_date, status="unverified", tags=tags,
                         created_at=at, updated_at=at, version=1)
        for t in tags:
            self.new(ClaimTag, claim=claim.id, tag=t)
        anchor = anchor_quote(source.text, sentence, quote)
        appearance = self.new(Appearance, claim=claim.id, source=source.id, sentence=sentence.id, created_at=at,
                              exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix,
                              start=anchor.start, end=anchor.end)
        dated = [(source.published_date, claims.appearance_dict(appearance, source.uid, sentence.index))]
        self.rows.setdefault("fts", []).append((claim.id, claim.text, search.quotes_text([sentence.text])))
        self.event("generator", "claim", claim.uid, "create", None,
                   claims.store_document(claim, claims.state(claim, dated, speaker.uid)))
        roll = r.random()
        if roll < 0.12:  # a checker's queue: some claims in review, some of those given a verdict
            self.review(claim, dated, speaker, None, None)
        if roll < 0.05:
            verdict = r.choice(VERDICTS)
            self.review(claim, dated, speaker, verdict, f"Official statistics put the figure {verdict.replace('_', ' ')}.")

    def review(self, claim, dated, speaker, verdict, rationale):
        """What reviews.add_review writes: the review and its event, then the claim's status change."""
        checker = self.random.choice(CHECKERS)
        target = verdict or "in_review"
        at = self.next_at()
        review = self.new(Review, claim=claim.id, status=target, verdict=verdict, rationale=rationale,
                          reviewer=checker, created_at=at)
        self.event(checker, "review", review.uid, "create", None, reviews.review_dict(review, claim.uid, []))
        before = claims.state(claim, dated, speaker.uid)
        claim.status, claim.version, claim.updated_at = target, claim.version + 1, self.next_at()
        after = claims.store_document(claim, claims.state(claim, dated, speaker.uid))
        self.event(checker, "claim", claim.uid, "review", before, after, rationale)

    # ---- writing -------------------------------------------------------------------------------
    def flush(self):
        """Everything built so far, in one transaction, table by table (parents first)."""
        with database.atomic():
            for model in (Speaker, Source, Sentence, Claim, ClaimTag, Appearance, Review, AuditEvent):
                names = [(f.name, f.object_id_name if isinstance(f, ForeignKeyField) else f.name)
                         for f in model._meta.sorted_fields]
                insert_all(model, [{name: getattr(row, attribute) for name, attribute in names}
                                   for row in self.rows.pop(model, [])])
            search.index_new(self.rows.pop("fts", []))


def _spans(sentences):
    """Sentences joined by single spaces, and where each one lies in the result."""
    spans, start = [], 0
    for index, sentence in enumerate(sentences):
        spans.append(Span(index, start, start + len(sentence), sentence))
        start += len(sentence) + 1
    return spans


def generate(claims_count, path, seed=1, progress=print):
    """Build the database at `path` (replaced if there); a partial build never takes its place."""
    path = Path(path).resolve()
    building = path.with_suffix(".building")
    for stale in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        stale.unlink(missing_ok=True)
    url = f"sqlite:///{building}"
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "service.app", "migrate"], cwd=ROOT,
                   env={**os.environ, "DATABASE_URL": url}, check=True, capture_output=True)
    started = time.perf_counter()
    app = create_app(Config(database_url=url))
    with app.app_context():
        database.connect()
        database.pragma("synchronous", "off")  # a half-built file is thrown away anyway
        database.pragma("cache_size", -1_000_000)
        generator = Generator(seed)
        generator.make_speakers(max(20, claims_count // 200))
        sources_count = -(-claims_count // (2 * SENTENCES_PER_SOURCE))
        for i in range(sources_count):
            generator.add_source(i, *generator.source_plan(i))
            if (i + 1) % SOURCES_PER_TRANSACTION == 0:
                generator.flush()
                if (i + 1) % (10 * SOURCES_PER_TRANSACTION) == 0:
                    progress(f"  {generator.next_id[Claim] - 1} claims, {time.perf_counter() - started:.0f} s")
        generator.flush()
        search.optimize()  # as an import of this size ends
        built = time.perf_counter() - started
        report = verify_chain(batch_size=10_000)
        if not report["valid"]:
            raise RuntimeError(f"the generated audit chain is broken: {report}")
        database.pragma("wal_checkpoint", "TRUNCATE")
        database.close()
    building.rename(path)
    made = generator.next_id[Claim] - 1
    progress(f"generated {made} claims in {built:.0f} s ({made / built:.0f} claims/s);"
             f" audit chain verified: {report['events_checked']} events")
    return path


def cached(claims_count, progress=print):
    """The generated database of this size, built once per version of this file and of the schema
    (and kept git-ignored)."""
    version = hashlib.sha256(b"".join(path.read_bytes() for path in
                                      [Path(__file__), *sorted((ROOT / "migrations").glob("*.py"))])).hexdigest()[:8]
    path = CACHE_DIR / f"claims-{claims_count}-{version}.db"
    if not path.exists():
        progress(f"generating {claims_count} claims into {path.relative_to(ROOT)}")
        CACHE_DIR.mkdir(exist_ok=True)
        generate(claims_count, path, progress=progress)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=int)
    parser.add_argument("path", nargs="?", help="where to write it (default: the cache run.py uses)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.path:
        generate(args.claims, args.path, args.seed)
    else:
        cached(args.claims)


if __name__ == "__main__":
    main()

"""Who made a statement: a name, an office, a pronoun, a stored speaker, or the publisher.

The source is read in order; `SourceSpeakers` remembers the people and organisations it has named so
far (with the offices it gave them) and, per paragraph, who spoke last, so a later "the finance
minister" or "she said" resolves to them.
"""
import re
from dataclasses import dataclass, field

from .statements import ORG_NOUNS, ROLE_NOUNS

# The narrated-claim convention of seeds/claims.yaml: the article's own voice is attributed to its
# publisher, an organisation, or to this speaker when the source names no publisher.
UNATTRIBUTED = "Unattributed news report"

HONORIFICS = frozenset({"dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof.", "sir", "dame"})
TITLES = frozenset("""
    dr dr. mr mr. mrs mrs. ms ms. prof prof. sir dame sen. rep. gen. lt. col. maj. capt. president
    minister governor mayor general brigadier major colonel chief secretary senator judge
""".split())
_SPELLING = {"defence": "defense", "programme": "program", "organisation": "organization",
             "councillor": "councilor"}
_STOP = frozenset({"the", "a", "an", "of", "for", "'s", "’s", "and", "on", "his", "her", "its", "their",
                   "part", "country", "'", "’", ",", "-"})

# How sure each way of finding a speaker is, before ambiguity lowers it.
CONFIDENCE = {"named": 0.95, "stored": 0.85, "role": 0.8, "pronoun": 0.75, "publisher": 0.7}


@dataclass
class Speaker:
    """Who made a statement. `id`: the matched stored speaker, else None (a new speaker to create).
    `how`: named (a name in the text), role (an office, or a country's official, resolved in the same
    source), pronoun (he/she/it, or a quotation continued from the sentence before), stored (an office or
    description matching a stored speaker's role or aliases), publisher (the article's own voice).
    `name` is None when a pronoun has no unambiguous antecedent: the checker names the speaker."""
    name: str | None
    id: str | None = None
    role: str | None = None
    kind: str = "person"
    how: str = "named"
    confidence: float = 0.95


@dataclass
class Known:
    """A person or organisation the source has named."""
    name: str
    kind: str
    role_words: set = field(default_factory=set)
    role: str | None = None
    paragraph: int = 0


def words(text):
    """Lower-case words for comparing offices: 'Iran's Defence Minister' -> ['iran', 'defense', 'minister']."""
    found = []
    for word in re.findall(r"\w+", text.lower().replace("’", "'")):
        word = _SPELLING.get(word, word)
        if word not in _STOP and word != "s":
            found.append(word)
    return found


def same_place(a, b):
    """'Syrian' and 'Syria', 'Alvenian' and 'Alvenia', 'Iranian' and 'Iran' name the same place."""
    if a == b:
        return True
    stem_a, stem_b = a.rstrip("a"), b.rstrip("a")
    shorter, longer = sorted((stem_a, stem_b), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def _mostly_in(mention, label):
    """The mention's head word and at least half of its words are in the label, in some form."""
    found = [w for w in mention if any(same_place(w, l) for l in label)]
    return mention[-1] in found and 2 * len(found) >= len(mention)


def normalise(name):
    return " ".join(words(name))


def clean_name(text):
    """'Dr. Samuel Okafor' -> 'Samuel Okafor'; a leading 'the' goes too ('the United Nations')."""
    parts = text.replace("’", "'").split()
    while parts and (parts[0].lower() in TITLES or parts[0].lower() == "the"):
        parts = parts[1:]
    name = " ".join(parts) or text
    return re.sub(r"['’]s$", "", name).strip(" ,")


def role_of(entity_tokens):
    """The office a sentence gives a named person: the words before the name in its noun phrase
    ('Syrian Defence Minister Ali Mahmoud Abbas'), its appositive ('Mohammad Baqeri, Chief of Staff of
    the Iranian Armed Forces') and an 'of <place>' after it ('Prime Minister Jonas Keller of Alvenia')."""
    head = entity_tokens[-1]
    while head.head in entity_tokens and head.head is not head:
        head = head.head
    inside = {t.i for t in entity_tokens}
    before = [t for left in head.lefts for t in left.subtree
              if t.i not in inside and t.dep_ not in ("det", "punct")]
    after = [t for c in head.rights if c.dep_ in ("appos",) or (c.dep_ == "prep" and c.lower_ == "of")
             for t in c.subtree]
    # a title the entity recogniser kept inside the name ('Health Minister Maria Ortega')
    titled = [t for t in entity_tokens if t.text.lower() in TITLES or t.lemma_.lower() in ROLE_NOUNS]
    parts = [t for t in sorted({*before, *after, *titled}, key=lambda t: t.i) if t.text.lower() not in HONORIFICS]
    text = " ".join(t.text for t in parts).replace(" 's", "'s")
    return text or None


def person_name(entity_tokens):
    """The name of a PERSON entity without the titles the recogniser may have kept."""
    names = [t for t in entity_tokens if t.text.lower() not in TITLES and t.lemma_.lower() not in ROLE_NOUNS
             and not (t.is_punct and t.text != "-")]
    # joined as written, so 'Lindqvist-Ray' keeps its hyphen
    return clean_name("".join(t.text_with_ws for t in names).strip() or " ".join(t.text for t in entity_tokens))


class SourceSpeakers:
    """The people and organisations one source names, in reading order, and who spoke last."""

    def __init__(self, known_speakers=(), publisher=None):
        self.known = [dict(k) for k in known_speakers]
        self.publisher = publisher
        self.people = []       # Known, most recent last
        self.organizations = []
        self.paragraph = 0
        self.last_person = None   # Speaker, or None when unknown or ambiguous
        self.last_organization = None
        self.last_quoted = None

    # -- reading the source --

    def new_paragraph(self):
        self.paragraph += 1
        self.last_person = self.last_organization = self.last_quoted = None

    def remember_entities(self, doc):
        for ent in doc.ents:
            tokens = list(ent)
            if ent.label_ == "PERSON":
                name = person_name(tokens)
                if len(name.split()) < 2:
                    continue  # a surname alone adds nothing to what resolve_name knows
                self._remember(self.people, Known(name, "person", set(words(role_of(tokens) or "")),
                                                  role_of(tokens), self.paragraph))
            elif ent.label_ in ("ORG", "FAC"):
                self._remember(self.organizations, Known(clean_name(ent.text), "organization", set(),
                                                         None, self.paragraph))

    def _remember(self, registry, entry):
        for index, old in enumerate(registry):
            if old.name == entry.name:
                entry.role_words |= old.role_words
                entry.role = entry.role or old.role
                del registry[index]
                break
        registry.append(entry)

    def person_by_surname(self, text):
        """The full name of the person this source named whose surname `text` is."""
        parts = clean_name(text).split()
        if len(parts) != 1:
            return None
        return next((p.name for p in reversed(self.people) if p.name.split()[-1] == parts[0]), None)

    def name_words(self):
        """Surnames of the people named so far: a subject 'Ruiz' is a speaker even if untagged."""
        return frozenset(p.name.split()[-1] for p in self.people)

    def spoke(self, speaker):
        """Record the speaker of a sentence, for the pronouns and quotes that follow in its paragraph."""
        if speaker is None or speaker.name is None:
            return
        if speaker.kind == "person":
            self.last_person = speaker
        elif speaker.how != "publisher":
            self.last_organization = speaker

    def subject_named(self, doc):
        """A narrated sentence whose subject names one person makes that person the one 'he' refers to."""
        for token in doc:
            if token.dep_ == "nsubj" and token.head.dep_ == "ROOT":
                left, right = token.left_edge.i, token.right_edge.i
                people = {e.text for e in doc.ents if e.label_ == "PERSON" and left <= e.start <= right}
                if len(people) > 1:
                    self.last_person = None  # "X and Y met": a later "he" is ambiguous
                elif people:
                    self.spoke(self.resolve_name(people.pop()))

    # -- stored speakers --

    def match_known(self, name):
        """A stored speaker whose name or one of whose aliases is `name`."""
        wanted = normalise(name)
        for known in self.known:
            if wanted in {normalise(n) for n in [known.get("name") or "", *(known.get("aliases") or [])]}:
                return known
        return None

    def known_by_role(self, mention, kind=None):
        """A stored speaker (of `kind`, when given) whose alias or role is the office mentioned ('the
        Secretary of Iran's Supreme National Security Council'), whose alias the mention contains ('the
        country's medicines regulator'), or whose role has the mention's head word and most of its others
        in other forms ('the regional governor', 'the central bank governor' for 'Governor of the Bank
        of Calderra'). Exactly one must match, the closest way first."""
        wanted = normalise(mention)
        exact, contained, worded = [], [], []
        for known in self.known:
            if kind and (known.get("kind") or "person") != kind:
                continue
            labels = [normalise(a) for a in [*(known.get("aliases") or []), known.get("role") or ""] if a]
            if wanted in labels:
                exact.append(known)
            elif any(label and re.search(rf"\b{re.escape(label)}\b", wanted) for label in labels):
                contained.append(known)
            elif wanted and any(_mostly_in(wanted.split(), label.split()) for label in labels):
                worded.append(known)
        for found in (exact, contained, worded):
            if len(found) == 1:
                return found[0]
        return None

    def _stored(self, known, how, confidence):
        return Speaker(known["name"], known.get("id"), known.get("role"), known.get("kind") or "person",
                       how, confidence)

    def _with_known(self, speaker):
        """An existing speaker is matched by name and aliases rather than duplicated."""
        known = self.match_known(speaker.name) if speaker.name else None
        if known:
            speaker.id, speaker.name = known.get("id"), known["name"]
            speaker.role = known.get("role") or speaker.role
            speaker.kind = known.get("kind") or speaker.kind
        return speaker

    # -- resolution rules --

    def resolve_name(self, text, confidence=CONFIDENCE["named"]):
        """A person named in full, or by surname after the source gave the full name."""
        name = clean_name(text)
        parts = name.split()
        if len(parts) == 1:
            for person in reversed(self.people):
                if person.name.split()[-1] == parts[0]:
                    return self._with_known(Speaker(person.name, None, person.role, "person", "named",
                                                    confidence - 0.05))
        role = next((p.role for p in self.people if p.name == name), None)
        return self._with_known(Speaker(name, None, role, "person", "named", confidence))

    def resolve_role(self, mention, title_words, place_words):
        """An office without a name: the person this source named with that office, else a stored
        speaker with that role or alias."""
        matches = []
        for person in reversed(self.people):
            if not set(title_words) <= person.role_words:
                continue
            if all(any(same_place(p, w) for w in person.role_words) for p in place_words):
                matches.append(person)
        if matches:
            best = matches[0]
            unique = len({m.name for m in matches}) == 1
            return self._with_known(Speaker(best.name, None, best.role, "person", "role",
                                            CONFIDENCE["role"] if unique else 0.5))
        known = self.known_by_role(mention, "person")
        if known:
            return self._stored(known, "stored", CONFIDENCE["stored"])
        return None

    def resolve_organization(self, mention, head_noun):
        """'The hospital said', 'the statistics office said': the organisation named so far whose name has
        those words, else a descriptive name ('the national statistics office') stands for itself; 'the
        company' with no such name is the organisation that spoke last in the paragraph."""
        known = self.known_by_role(mention, "organization")
        if known:
            return self._stored(known, "stored", CONFIDENCE["stored"])
        name = clean_name(mention)
        wanted = set(words(name))
        named = next((o for o in reversed(self.organizations) if wanted <= set(words(o.name))), None)
        if named is not None:  # 'the statistics office' after 'the Calderra Statistics Office'
            return self._with_known(Speaker(named.name, None, None, "organization", "role", 0.75))
        if len(wanted) > 1:
            return self._with_known(Speaker(name, None, None, "organization", "named", 0.8))
        last = self.last_organization
        if last is not None and last.how != "publisher":  # 'The company rejected ...' after it spoke
            return Speaker(last.name, last.id, last.role, last.kind, "role", 0.7)
        if self.organizations:
            return self._with_known(Speaker(self.organizations[-1].name, None, None, "organization", "role", 0.5))
        return Speaker(name, None, None, "organization", "named", 0.4)

    def resolve_place(self, place):
        """'Iran expressing readiness': a country speaks through the one person of this paragraph whose
        office belongs to it; otherwise the country itself."""
        here = {p.name: p for p in self.people if p.paragraph == self.paragraph
                and any(same_place(w, w2) for w in words(place) for w2 in p.role_words)}
        if len(here) == 1:
            person = next(iter(here.values()))
            return self._with_known(Speaker(person.name, None, person.role, "person", "role", 0.5))
        return self._with_known(Speaker(clean_name(place), None, None, "organization", "named", 0.6))

    def resolve_pronoun(self, pronoun):
        """'He said' is the person who spoke last in the paragraph, when there is exactly one."""
        earlier = self.last_organization if pronoun.lower() in ("it",) else self.last_person
        if pronoun.lower() == "they":
            earlier = self.last_organization or self.last_person
        if earlier is None:
            return Speaker(None, None, None, "person", "pronoun", 0.2)
        return Speaker(earlier.name, earlier.id, earlier.role, earlier.kind, "pronoun", CONFIDENCE["pronoun"])

    def continued_quote(self):
        """A sentence that is all quotation continues the quote before it in the paragraph."""
        earlier = self.last_quoted
        if earlier is None:
            return Speaker(None, None, None, "person", "pronoun", 0.2)
        return Speaker(earlier.name, earlier.id, earlier.role, earlier.kind, "pronoun", 0.7)

    def narrator(self):
        """The article's own voice: the publisher, as seeds/claims.yaml attributes narrated claims."""
        name = self.publisher or UNATTRIBUTED
        known = self.match_known(name)
        if known:
            return self._stored(known, "publisher", CONFIDENCE["publisher"])
        role = None if self.publisher else "Author of a source that names no outlet or byline"
        return Speaker(name, None, role, "organization", "publisher", CONFIDENCE["publisher"])


def mention_parts(tokens):
    """Split an office mention into its title words and its place words ('The Kestrian Defence
    Minister' -> ['defense', 'minister'], ['kestrian'])."""
    titles, places = [], []
    for token in tokens:
        if token.dep_ in ("det", "punct", "case") or token.is_punct:
            continue
        for word in words(token.text):
            is_place = token.ent_type_ in ("GPE", "NORP", "LOC") or (
                token.text[:1].isupper() and token.pos_ in ("ADJ", "PROPN") and re.search(r"(an|ian)$", word))
            (places if is_place else titles).append(word)
    return titles, places


def speaker_of(subject_tokens, registry):
    """Resolve the tokens that name who said something."""
    if not subject_tokens:
        return None
    doc = subject_tokens[0].doc
    head = min(subject_tokens, key=lambda t: len(list(t.ancestors)))
    covered = {t.i for t in subject_tokens}
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.start in covered]
    if head.lower_ in ("he", "she", "they", "it", "him", "her") and len(subject_tokens) == 1:
        return registry.resolve_pronoun(head.lower_)
    if people:
        # the one the subject is about: the head's own entity, else the first (an appositive)
        own = [e for e in people if e.start <= head.i < e.end]
        return registry.resolve_name(person_name(list((own or people)[0])))
    head_word = head.lemma_.lower()
    # the name proper: the head and the words compounded with it ('Ilya Petrov', not its appositive)
    flat = sorted([c for c in head.lefts if c.dep_ == "compound"] + [head], key=lambda t: t.i)
    flat_text = doc[flat[0].i:head.i + 1].text
    full = registry.person_by_surname(flat_text)
    if full:  # 'Varga said', after 'Dr. Elena Varga', whatever the recogniser made of 'Varga'
        return registry.resolve_name(full)
    leading_det = [t for t in subject_tokens if t.dep_ == "det" and t.i < head.i]
    # the mention without its clauses ('The minister, asked about the strike,')
    clauses = {d.i for t in subject_tokens if t.dep_ in ("relcl", "acl", "appos") for d in t.subtree}
    phrase_tokens = [t for t in subject_tokens if t not in leading_det and t.i not in clauses and not (
        t.i > head.i and t.is_punct)]
    phrase_tokens = sorted(phrase_tokens, key=lambda t: t.i)
    phrase = doc[phrase_tokens[0].i:phrase_tokens[-1].i + 1].text if phrase_tokens else head.text
    # an office leads the mention, even where the parser made it a modifier ("The Secretary of Iran's
    # Supreme National Security Council" parsed as the council's possessor)
    lead = next((t for t in phrase_tokens if t.dep_ != "det" and not t.is_punct), head)
    if head_word in ROLE_NOUNS or head.lower_ in ROLE_NOUNS or (
            lead.lemma_.lower() in ROLE_NOUNS and lead.ent_type_ not in ("PERSON", "ORG")):
        titles, places = mention_parts(phrase_tokens)
        found = registry.resolve_role(phrase, titles, places)
        if found:
            return found
        return Speaker(clean_name(phrase), None, clean_name(phrase), "person", "role", 0.3)
    entity = next((e for e in doc.ents if e.start <= head.i < e.end), None)
    if entity is not None and entity.label_ in ("ORG", "FAC"):
        return registry._with_known(Speaker(clean_name(entity.text), None, None, "organization", "named",
                                            CONFIDENCE["named"]))
    if entity is not None and entity.label_ in ("GPE", "NORP"):
        return registry.resolve_place(entity.text)
    if head_word in ORG_NOUNS or head.lower_ in ORG_NOUNS:
        return registry.resolve_organization(phrase, head_word)
    known = registry.known_by_role(phrase)
    if known:
        return registry._stored(known, "stored", CONFIDENCE["stored"])
    if head.pos_ == "PROPN" or head.text[:1].isupper():
        return registry.resolve_name(flat_text, 0.6)
    return Speaker(clean_name(phrase), None, None, "person", "named", 0.3)

"""Which sentences carry statements, and which words carry each one.

A sentence is parsed on its own (pysbd's span is the unit); each statement found in it is a Frame:
the character range of its words inside the sentence, the speech verb if someone is reported as saying
it, and the tokens naming who (resolved to a speaker in speakers.py).
"""
import re
from dataclasses import dataclass, field

# Verbs that report someone's statement. Opinion and hedge verbs are included (they still attribute a
# statement; worthiness.py lowers their score).
SPEECH_VERBS = frozenset("""
    say tell add announce warn argue claim insist state report accuse deny condemn call describe urge
    emphasize emphasise underscore highlight note stress reveal explain predict suggest believe think
    express voice pledge promise vow confirm acknowledge admit estimate reiterate assert maintain
    contend allege criticize criticise praise welcome reject dismiss blame point write tweet declare
    complain concede caution expect forecast anticipate
""".split())
# Speech verbs also used of things ("the meeting underscored ..."): speech only with a person or an
# organisation as subject.
FIGURATIVE_VERBS = frozenset({"underscore", "highlight", "emphasize", "emphasise", "stress", "note",
                              "point", "suggest", "reveal", "show", "signal"})
# Verbs that introduce a question or a request for information, not a statement.
QUESTION_VERBS = frozenset({"ask", "wonder", "question", "inquire", "enquire"})
# "did not respond", "has not announced a price": sentences about the reporting itself.
# ("Neither claim could be verified" too.)
SILENCE_VERBS = frozenset({"say", "respond", "comment", "elaborate", "announce", "disclose", "reveal",
                           "specify", "return", "reply", "confirm", "answer", "verify"})
# "Figures from the Land Registry showed ...": the figures' source makes the statement.
DATA_VERBS = frozenset({"show", "indicate", "suggest", "reveal", "confirm"})
DATA_NOUNS = frozenset("""
    figure data statistic survey poll report study record estimate number analysis census count
""".split())

# Nouns that stand for an organisation when they head a speaker mention ("the company said").
ORG_NOUNS = frozenset("""
    ministry company hospital union agency government bank office regulator association commission
    council programme program department authority group firm organization organisation institute
    university court committee army police military party board parliament senate tribunal service
    coalition federation alliance office cabinet administration embassy mission
""".split())
# Nouns for an unnamed group of people speaking as one ("Critics say ...", "analysts warned").
GROUP_NOUNS = frozenset("""
    critic analyst expert resident witness doctor scientist researcher campaigner activist opponent
    supporter observer diplomat investor trader protester
""".split())
# Nouns that name a person by office ("the finance minister said").
ROLE_NOUNS = frozenset("""
    minister president secretary secretary-general spokesperson spokesman spokeswoman governor mayor
    chief director chairman chairwoman chair official ambassador commander general leader premier
    envoy negotiator representative senator lawmaker adviser advisor prosecutor judge economist
    head executive ceo chancellor king queen prince sheikh councillor councilor deputy
""".split())
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
AGENT_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})

_QUOTE = re.compile(r"[“\"]([^“”\"]+)[”\"]")
_TERMINAL = re.compile(r"[.!?][”\"’')\]]*$")


@dataclass
class Frame:
    kind: str            # reported | direct | continued | verb_phrase | according | narrated
    start: int           # character range of the statement's words inside the sentence
    end: int
    verb: object = None  # the speech verb (a spaCy Token), None for narration
    subject: list = field(default_factory=list)  # tokens naming the speaker
    tokens: list = field(default_factory=list)   # the statement's tokens, for worthiness signals
    borrowed: str = ""   # subject words a clause without its own subject shares ("... and raise X")


# ---- sentences that carry no statement ----

def is_heading(sentence_text):
    """A line without final punctuation (pysbd gives headings a segment of their own)."""
    return not _TERMINAL.search(sentence_text.strip())


def is_question(sentence_text):
    return sentence_text.rstrip(" ”\"’')").endswith("?")


def is_about_reporting(doc):
    """'The ministry did not say how many ...', 'X declined to comment': nothing to check."""
    for token in doc:
        if token.dep_ != "ROOT":
            continue
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        negated = any(child.dep_ == "neg" for child in token.children) or subject is not None and any(
            c.dep_ == "det" and c.lower_ in ("neither", "no") for c in subject.children)
        if negated and token.lemma_ in SILENCE_VERBS:
            return True
        if token.lemma_ == "decline" and any(c.lemma_ == "comment" for c in token.subtree):
            return True
    return False


# ---- spans of tokens ----

def _trimmed(tokens):
    """Sorted tokens without the punctuation, conjunctions and 'that' at either edge."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (tokens[0].dep_ == "cc" or tokens[0].is_punct or tokens[0].is_space
                      or tokens[0].dep_ == "mark" and tokens[0].lower_ == "that"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].dep_ in ("punct", "cc") or tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _contiguous(tokens, doc):
    """The tokens from the first to the last, so the quote is one run of the sentence's words."""
    if not tokens:
        return []
    return list(doc[tokens[0].i:tokens[-1].i + 1])


def char_range(tokens):
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def verb_conjuncts(verb):
    """Clauses joined to `verb` by 'and'/'but' (verbs only: 'Iran and Syria' is one subject)."""
    found = []
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            found.append(child)
            found.extend(verb_conjuncts(child))
    return found


def clause_tokens(verb, leave_out=()):
    """The words of `verb`'s clause, less its conjoined clauses and anything in `leave_out`."""
    drop = set()
    for conj in verb_conjuncts(verb):
        drop.update(conj.subtree)
    for token in leave_out:
        drop.update(token.subtree)
    # the 'and' before a dropped clause goes with it
    drop.update(c for c in verb.children if c.dep_ == "cc" and any(c.i < d.i for d in drop))
    return [t for t in verb.subtree if t not in drop]


def subject_of(verb):
    """The subject of `verb`, or that of the verb it is conjoined to ('X condemned ... and underscored')."""
    while True:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
        if verb.dep_ == "conj":
            verb = verb.head
        else:
            return None


def borrowed_subject(verb):
    """For a conjoined clause without a subject, the words it shares: 'the budget would' (cut ... and)
    raise ...' -> 'the budget would'."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) or verb.dep_ != "conj":
        return ""
    head = verb.head
    subject = subject_of(head)
    if subject is None:
        return ""
    words = [t for t in subject.subtree] + [c for c in head.children if c.dep_ in ("aux", "neg")]
    words = [w for w in words if w.i < head.i]
    return " ".join(w.text for w in sorted(words, key=lambda t: t.i))


def is_agent(subject):
    """Whether a subject can make a statement: a person, organisation or place, a pronoun, an office or
    an organisation noun. 'The trial found ...' and 'Police data show ...' are the article's voice, and
    so is a joint subject ('Iran and Syria ...'): no one speaker."""
    if subject is None or any(c.dep_ == "conj" for c in subject.children):
        return False
    if subject.lower_ in SUBJECT_PRONOUNS:
        return True
    if subject.ent_type_ in AGENT_ENTS or subject.pos_ == "PROPN":
        return True
    if subject.text in subject.doc.user_data.get("speaker_names", ()):
        return True  # 'Ruiz also said': someone named earlier, his surname tagged as a common noun
    if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in subject.children):
        return True  # 'Her challenger, city councillor Ben Ruiz, said' 
    # only the subject's head: "Iran and Syria's alliance underscores ..." is not a speaker's statement
    return bool({subject.lemma_.lower(), subject.lower_} & (ROLE_NOUNS | ORG_NOUNS | GROUP_NOUNS))


def _calls_something(verb):
    deps = {c.dep_ for c in verb.children}
    asks = any(c.dep_ == "prep" and c.lower_ in ("for", "on") for c in verb.children) and "dobj" not in deps
    return asks or bool(deps & {"oprd", "ccomp", "xcomp"})


def is_speech(verb):
    lemma = verb.lemma_.lower()
    if lemma not in SPEECH_VERBS:
        return False
    if lemma == "call" and not _calls_something(verb):
        return False  # "called a strike" is an act; "called the plan reckless", "called for talks" are speech
    subject = subject_of(verb)
    if subject is not None and subject.dep_ == "nsubjpass":
        return False  # "officials are expected to publish", "he was accused of": said of them, not by them
    if lemma in FIGURATIVE_VERBS and subject is not None and subject.ent_type_ in ("GPE", "NORP", "LOC"):
        return False  # "Iran's alliance underscores a shared vision": a country does not underscore
    return is_agent(subject)


# ---- frames ----

def direct_quotes(doc, text):
    """Frames for words in quotation marks said by someone; None when the sentence has no direct speech.
    An empty list means it has, but only a question."""
    frames = []
    matches = list(_QUOTE.finditer(text))
    # the words outside every quotation: a verb inside another quote ("... keep promising ...") says nothing
    outside = [t for t in doc if not any(m.start() <= t.idx < m.end() for m in matches)]
    for match in matches:
        inner_start, inner_end = match.span(1)
        inner = text[inner_start:inner_end]
        opens_sentence = text[:match.start()].strip() == ""
        if not (opens_sentence or inner.rstrip()[-1:] in ",.!?"):
            continue  # scare quotes around a word or title, not speech
        stripped = inner.rstrip(" ,.;:")
        if stripped.endswith("?"):
            frames.append(None)  # a quoted question: not a statement
            continue
        lead = len(inner) - len(inner.lstrip())
        start, end = inner_start + lead, inner_start + len(stripped)
        verbs = [t for t in outside if t.lemma_.lower() in SPEECH_VERBS | QUESTION_VERBS and t.pos_ in ("VERB", "AUX")]
        inside = [t for t in doc if start <= t.idx < end]
        if verbs:
            if verbs[0].lemma_.lower() in QUESTION_VERBS:
                frames.append(None)
                continue
            subject = subject_of(verbs[0])
            frames.append(Frame("direct", start, end, verbs[0], list(subject.subtree) if subject else [], inside))
        elif opens_sentence and not text[match.end():].strip(" .”\"")[:1].isalnum():
            frames.append(Frame("continued", start, end, None, [], inside))
    if not frames:
        return None
    return [f for f in frames if f is not None]


def _according_to(verb):
    """The 'according to X' phrase in a clause, if any."""
    for token in verb.subtree:
        if token.lower_ == "according" and token.dep_ == "prep":
            return token
    return None


def according_source(according):
    """Who 'according to' names: 'figures released by the Ministry of Health' -> the ministry."""
    objects = [t for t in according.subtree if t.dep_ == "pobj"]
    if not objects:
        return []
    first = objects[0]
    for token in first.subtree:
        if token.dep_ == "agent":  # "... released by X", "a study led by Dr. Y"
            agents = [t for t in token.children if t.dep_ == "pobj"]
            if agents:
                return list(agents[0].subtree)
    return list(first.subtree)


def data_source(verb):
    """Who 'figures from the Land Registry showed' names: the data's source, when one is given ('from',
    'by', 'released by' or a possessive). 'Police data show' names none and stays the article's voice."""
    subject = subject_of(verb)
    if verb.lemma_.lower() not in DATA_VERBS or subject is None or subject.lemma_.lower() not in DATA_NOUNS:
        return []
    for child in subject.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their", "his", "her", "our"):
            return list(child.subtree)
        holders = [child] if child.dep_ in ("prep", "agent") and child.lower_ in ("from", "by") else [
            t for t in child.children if t.dep_ == "agent"] if child.dep_ == "acl" else []
        objects = [t for holder in holders for t in holder.children if t.dep_ == "pobj"]
        if objects:
            return list(objects[0].subtree)
    return []


def _tagged_speech(verb):
    """A speech verb hanging off a clause it reports: 'X, the company said' parsed as parataxis."""
    for child in verb.children:
        if child.dep_ in ("parataxis", "advcl") and is_speech(child) and not any(
                c.dep_ == "ccomp" for c in child.children) and child.i > verb.i:
            return child
    return None


def _embedded_speech(verb):
    """A speech verb inside a narrated clause with its own agent: '..., with Iran expressing readiness'."""
    for token in verb.subtree:
        if token is verb or token.pos_ != "VERB" or token.dep_ in ("conj", "ccomp", "relcl"):
            continue
        if token.lemma_.lower() in SPEECH_VERBS and any(c.dep_ == "nsubj" and is_agent(c) for c in token.children):
            return token
    return None


def reported_frames(doc, verb):
    """'X said (that) A and that B' -> one frame for A, one for B; 'X condemned Y' -> the verb phrase."""
    subject = subject_of(verb)
    speaker = list(subject.subtree) if subject is not None else []
    complements = [c for c in verb.children if c.dep_ == "ccomp"]
    frames = []
    for complement in complements:
        for clause in [complement, *verb_conjuncts(complement)]:
            tokens = _contiguous(_trimmed(clause_tokens(clause)), doc)
            if tokens:
                frames.append(Frame("reported", *char_range(tokens), verb, speaker, tokens,
                                    borrowed_subject(clause)))
    if frames:
        return frames
    # no clause said: the statement is the verb and what follows it ("accused X of Y")
    drop = set()
    for conj in verb_conjuncts(verb):
        drop.update(conj.subtree)
    right = [verb] + [t for c in verb.children if c.i > verb.i and c.dep_ not in ("conj", "cc", "punct")
                      for t in c.subtree if t not in drop]
    tokens = _contiguous(_trimmed(right), doc)
    if len(tokens) > 1:
        return [Frame("verb_phrase", *char_range(tokens), verb, speaker, tokens)]
    return []


def narrated_frame(doc, verb, leave_out=()):
    tokens = _contiguous(_trimmed(clause_tokens(verb, leave_out)), doc)
    if len(tokens) < 2:
        return []
    return [Frame("narrated", *char_range(tokens), None, [], tokens, borrowed_subject(verb))]


def clause_frames(doc, verb):
    """The statements of one top-level clause."""
    if is_speech(verb):
        return reported_frames(doc, verb)
    source = data_source(verb)
    complements = [c for c in verb.children if c.dep_ == "ccomp"]
    if source and complements:
        tokens = _contiguous(_trimmed(clause_tokens(complements[0])), doc)
        if tokens:
            return [Frame("according", *char_range(tokens), verb, source, tokens)]
    according = _according_to(verb)
    if according is not None:
        leave = [according]
        before = _contiguous(_trimmed([t for t in clause_tokens(verb, leave) if t.i < according.i]), doc)
        after = _contiguous(_trimmed([t for t in clause_tokens(verb, leave) if t.i > according.i]), doc)
        tokens = before if len(before) >= len(after) else after
        if tokens:
            return [Frame("according", *char_range(tokens), according, according_source(according), tokens)]
    tagged = _tagged_speech(verb)
    if tagged is not None:
        tokens = _contiguous(_trimmed(clause_tokens(verb, [tagged])), doc)
        subject = subject_of(tagged)
        if tokens:
            return [Frame("reported", *char_range(tokens), tagged, list(subject.subtree), tokens)]
    embedded = _embedded_speech(verb)
    if embedded is not None:
        return reported_frames(doc, embedded)
    return narrated_frame(doc, verb)


def _misread_speech(doc, root):
    """'The Varsk Courier, a local newspaper, reported that ...' parsed as a noun phrase with the speech
    verb as its modifier: the noun is the subject, the verb's complement the statement."""
    for verb in root.children:
        if verb.dep_ == "acl" and verb.lemma_.lower() in SPEECH_VERBS and is_agent(root):
            clauses = [c for c in verb.children if c.dep_ == "ccomp"]
            subject = [t for t in root.subtree if t.i < verb.i and t not in verb.subtree]
            return [Frame(f.kind, f.start, f.end, verb, subject, f.tokens, f.borrowed)
                    for f in reported_frames(doc, verb)] if clauses else []
    return []


def find_frames(doc, text):
    """Every statement of one sentence (`doc` is the sentence parsed alone, `text` its words)."""
    if is_heading(text) or is_question(text) or is_about_reporting(doc):
        return []
    if any(t.dep_ == "ROOT" and t.lemma_.lower() in QUESTION_VERBS for t in doc):
        return []  # 'Ruiz asked a crowd of supporters' after a quoted question
    quoted = direct_quotes(doc, text)
    if quoted is not None:
        return quoted
    frames = []
    for root in [t for t in doc if t.dep_ == "ROOT"]:
        if root.pos_ not in ("VERB", "AUX"):
            frames.extend(_misread_speech(doc, root))
            continue
        for clause in [root, *verb_conjuncts(root)]:
            frames.extend(clause_frames(doc, clause))
    return frames

"""Check-worthiness: how much a statement gives a checker to check, from 0 to 1, with the reasons.

Signals in the spirit of ClaimBuster and Full Fact: figures and quantities, named people and places,
dates, comparisons and changes over time raise the score; hedged, predictive or opinion wording lowers
it. Questions and headings never reach here (statements.py drops them).
"""
FIGURE_ENTS = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
TIME_ENTS = frozenset({"DATE", "TIME"})
CHANGE_VERBS = frozenset("""
    rise fall increase decrease double halve triple grow drop cut reduce climb slow surge decline raise
    lower jump plunge soar shrink expand lose gain kill displace
""".split())
COMPARISON_WORDS = frozenset({"than", "record", "since", "compared", "versus", "from", "up", "down"})
HEDGES = frozenset({"could", "might", "may", "probably", "possibly", "perhaps", "likely", "unlikely",
                    "expected", "appear", "seem", "reportedly", "allegedly", "suggest", "expect", "hope"})
OPINION_VERBS = frozenset({"believe", "think", "suspect", "feel", "call", "describe", "urge", "criticize",
                           "criticise", "praise", "welcome", "hope", "fear", "consider", "deny"})
# A generic list of evaluative words (not drawn from the labelled set): a statement built on one of
# them judges rather than reports.
OPINION_WORDS = frozenset("""
    good bad great terrible awful wrong unacceptable outrageous shameful disgraceful ridiculous absurd
    dangerous irresponsible reckless foolish wise brilliant excellent poor disastrous catastrophic
    mistake important crucial vital essential necessary unfair fair best worst amazing horrible
    wonderful pathetic incompetent corrupt heroic historic tragic
""".split())

WEIGHTS = {"base": 0.25, "figures": 0.3, "names": 0.1, "dates": 0.1, "comparison": 0.2,
           "hedged": -0.25, "opinion": -0.25, "short": -0.15}


def signals(tokens, verb=None):
    """What a statement's words show (tokens: the statement's spaCy tokens; verb: the speech verb)."""
    doc_ents = {id(t): t.ent_type_ for t in tokens}
    figures = sorted({t.text for t in tokens if doc_ents[id(t)] in FIGURE_ENTS or t.like_num})
    names = sorted({t.text for t in tokens if doc_ents[id(t)] in NAME_ENTS})
    dates = sorted({t.text for t in tokens if doc_ents[id(t)] in TIME_ENTS})
    comparison = sorted({t.lemma_.lower() for t in tokens if t.lemma_.lower() in CHANGE_VERBS
                         or t.tag_ in ("JJR", "RBR", "JJS", "RBS") or t.lower_ in COMPARISON_WORDS})
    hedged = sorted({t.lower_ for t in tokens if t.lower_ in HEDGES or t.lemma_.lower() in HEDGES})
    opinion = sorted({t.lower_ for t in tokens if t.lower_ in OPINION_WORDS})
    if verb is not None and verb.lemma_.lower() in OPINION_VERBS:
        opinion.append(verb.lemma_.lower())
    if verb is not None and verb.lemma_.lower() in HEDGES:
        hedged.append(verb.lemma_.lower())
    # statements nested in a thought ("he thinks ...", "he suspected ...") are opinions too
    opinion += sorted({t.lemma_.lower() for t in tokens if t.lemma_.lower() in ("think", "believe", "suspect", "feel")
                       and t.pos_ == "VERB"})
    return {"figures": figures, "names": names, "dates": dates, "comparison": comparison,
            "hedged": sorted(set(hedged)), "opinion": sorted(set(opinion)),
            "words": sum(1 for t in tokens if t.is_alpha or t.like_num)}


def score(found):
    """A score from 0 to 1 from `signals`' output: each signal present counts once."""
    total = WEIGHTS["base"]
    for name in ("figures", "names", "dates", "comparison", "hedged", "opinion"):
        if found[name]:
            total += WEIGHTS[name]
    if found["words"] < 5:
        total += WEIGHTS["short"]
    return round(min(1.0, max(0.0, total)), 3)


def check_worthiness(tokens, verb=None):
    found = signals(tokens, verb)
    return {"score": score(found), "signals": found}

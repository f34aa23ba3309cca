"""Who said it (speakers.py): names, offices, pronouns, stored speakers and the publisher."""
import pytest

from service.rules.extraction.candidates import propose
from service.rules.extraction.speakers import (
    UNATTRIBUTED,
    clean_name,
    same_place,
    words,
)

ABBAS = {"id": "sp-abbas", "name": "Ali Mahmoud Abbas", "kind": "person", "role": "Minister of Defence of Syria",
         "aliases": ["Syrian Defence Minister"]}
AHMADIAN = {"id": "sp-ahmadian", "name": "Ali Akbar Ahmadian", "kind": "person",
            "role": "Secretary of the Supreme National Security Council of Iran",
            "aliases": ["Ali-Akbar Ahmadian", "Secretary of Iran's Supreme National Security Council"]}


def only(text, **options):
    [found] = propose(text, **options)
    return found.speaker


def test_an_office_alone_is_the_person_the_source_named_with_that_office():
    text = ("Iran's Defense Minister Mohammad Reza Ashtiani met Syrian Defence Minister Ali Mahmoud Abbas in Tehran. "
            "The Syrian Defence Minister condemned the illegal U.S. presence in Syria.")
    condemned = propose(text)[-1]
    assert condemned.quote.exact == "condemned the illegal U.S. presence in Syria"
    assert (condemned.speaker.name, condemned.speaker.how) == ("Ali Mahmoud Abbas", "role")


def test_an_office_named_by_the_source_is_matched_to_the_stored_speaker_of_that_name():
    text = ("Syrian Defence Minister Ali Mahmoud Abbas arrived in Tehran on Monday. "
            "The Syrian Defence Minister condemned the illegal U.S. presence in Syria.")
    speaker = propose(text, known_speakers=[ABBAS])[-1].speaker
    assert (speaker.id, speaker.how) == ("sp-abbas", "role")


def test_the_office_is_told_apart_by_its_country():
    text = ("Sandorian Defence Minister Raul Ibarra met Maretian Defence Minister Olga Sand on Thursday. "
            "The Maretian Defence Minister said her forces would stay in their barracks.")
    assert propose(text)[-1].speaker.name == "Olga Sand"


def test_an_office_the_source_never_names_is_the_stored_speaker_with_that_alias():
    text = ("The Secretary of Iran's Supreme National Security Council highlighted the strategic importance of "
            "empowering Syria.")
    speaker = only(text, known_speakers=[ABBAS, AHMADIAN])
    assert (speaker.name, speaker.id, speaker.how) == ("Ali Akbar Ahmadian", "sp-ahmadian", "stored")


def test_an_office_the_source_never_names_is_the_stored_speaker_with_that_role():
    osei = {"id": "sp-osei", "name": "Fatima Osei", "kind": "person", "aliases": [],
            "role": "Secretary-General of the Regional Water Commission"}
    speaker = only("The Secretary-General of the Regional Water Commission urged both sides to share data.",
                   known_speakers=[osei])
    assert (speaker.name, speaker.how) == ("Fatima Osei", "stored")


def test_an_office_nobody_matches_stays_an_unresolved_office_with_low_confidence():
    speaker = only("The Kestrian Defence Minister accused Valdoran forces of shelling two villages.")
    assert speaker.how == "role" and speaker.id is None and speaker.confidence < 0.5


def test_a_description_containing_a_stored_alias_is_that_stored_organisation():
    regulator = {"id": "sp-mhpa", "name": "Medicines and Health Products Agency", "kind": "organization",
                 "aliases": ["medicines regulator"], "role": "National medicines regulator"}
    speaker = only("The country's medicines regulator said it had not yet received an application.",
                   known_speakers=[regulator])
    assert (speaker.name, speaker.kind, speaker.how) == ("Medicines and Health Products Agency", "organization",
                                                         "stored")


def test_he_said_is_the_last_named_speaker_of_the_paragraph():
    text = ("Dr. Samuel Okafor, an epidemiologist, warned that cases could double by June. "
            "He said the ministry acted too slowly.")
    speaker = propose(text)[-1].speaker
    assert (speaker.name, speaker.how) == ("Samuel Okafor", "pronoun")


def test_a_pronoun_does_not_reach_into_the_previous_paragraph():
    text = ("Dr. Samuel Okafor warned that cases could double by June.\n\n"
            "He said the ministry acted too slowly.")
    speaker = propose(text)[-1].speaker
    assert speaker.how == "pronoun" and speaker.name is None and speaker.confidence < 0.5


def test_a_pronoun_after_two_people_acting_together_is_ambiguous():
    text = ("Maria Ortega and Samuel Okafor visited the clinic on Monday. "
            "She said the ward had 40 beds.")
    speaker = propose(text)[-1].speaker
    assert speaker.how == "pronoun" and speaker.name is None


def test_a_surname_is_the_full_name_the_source_gave_earlier():
    text = ("Health Minister Maria Ortega spoke on Monday about the outbreak in the north. "
            "“This is a preventable disease,” Ortega told reporters.")
    speaker = propose(text)[-1].speaker
    assert (speaker.name, speaker.how) == ("Maria Ortega", "named")


def test_a_named_speaker_is_matched_to_a_stored_speaker_by_alias_rather_than_duplicated():
    baqeri = {"id": "sp-baqeri", "name": "Mohammad Baqeri", "kind": "person",
              "aliases": ["Mohammad Bagheri"], "role": "Chief of Staff of the Iranian Armed Forces"}
    speaker = only("Mohammad Bagheri said Iran was ready to support Syria.", known_speakers=[baqeri])
    assert (speaker.name, speaker.id) == ("Mohammad Baqeri", "sp-baqeri")


def test_the_articles_own_voice_is_its_publisher():
    speaker = only("Retail sales fell 0.8 percent in September.", publisher="Coastline Business Review")
    assert (speaker.name, speaker.kind, speaker.how) == ("Coastline Business Review", "organization", "publisher")


def test_without_a_publisher_the_own_voice_is_the_unattributed_report_of_the_seed_convention():
    stored = {"id": "article", "name": UNATTRIBUTED, "kind": "organization", "aliases": []}
    assert only("Retail sales fell 0.8 percent in September.").name == "Unattributed news report"
    assert only("Retail sales fell 0.8 percent in September.", known_speakers=[stored]).id == "article"


def test_the_company_is_the_organisation_the_source_named():
    text = "Northwind Energy will cut 1,200 jobs, about 8 percent of its workforce, the company said on Monday."
    speaker = only(text)
    assert (speaker.name, speaker.kind) == ("Northwind Energy", "organization")


def test_a_country_speaks_through_the_one_official_of_it_the_paragraph_names():
    text = ("Major General Mohammad Baqeri, Chief of Staff of the Iranian Armed Forces, met Syrian Defence "
            "Minister Ali Mahmoud Abbas in Tehran. The discussions focused on military cooperation, with Iran "
            "expressing readiness to support Syria.")
    speaker = propose(text)[-1].speaker
    assert (speaker.name, speaker.how) == ("Mohammad Baqeri", "role")


@pytest.mark.parametrize(("a", "b", "same"), [("syrian", "syria", True), ("iranian", "iran", True),
                                              ("alvenian", "alvenia", True), ("syrian", "iran", False),
                                              ("iran", "iraq", False)])
def test_a_demonym_and_its_country_name_the_same_place(a, b, same):
    assert same_place(a, b) is same


def test_office_words_ignore_spelling_articles_and_possessives():
    assert words("The Secretary-General of Iran's Defence Council") == ["secretary", "general", "iran",
                                                                       "defense", "council"]
    assert clean_name("Dr. Samuel Okafor") == "Samuel Okafor"
    assert clean_name("the United Nations") == "United Nations"


def test_an_office_with_its_clause_is_the_person_the_source_named_with_that_office():
    text = ("Labour Minister Ingrid Solberg told parliament on Tuesday that the change would save money. "
            "The minister, asked about the strike, said she respected the unions' right to protest.")
    assert propose(text)[-1].speaker.name == "Ingrid Solberg"


def test_an_office_described_in_other_words_is_the_one_stored_speaker_whose_role_has_them():
    harl = {"id": "sp-harl", "name": "Viktor Harl", "kind": "person", "role": "Governor of the Ostrava region",
            "aliases": ["Ostrava governor"]}
    mayor = {"id": "sp-lind", "name": "Eva Lind", "kind": "person", "role": "Mayor of Belmar", "aliases": []}
    speaker = only("The regional governor said no one had been killed.", known_speakers=[harl, mayor])
    assert (speaker.name, speaker.id, speaker.how) == ("Viktor Harl", "sp-harl", "stored")


def test_a_hyphenated_name_keeps_its_hyphen():
    speaker = only("Environment Minister Oskar Lindqvist-Ray said the plant's permit had been suspended.")
    assert speaker.name == "Oskar Lindqvist-Ray"


def test_an_organisation_by_some_of_its_words_is_the_one_the_source_named_with_them():
    text = ("Inflation slowed to 2.8 percent, according to the Calderra Statistics Office. "
            "Retail sales fell 0.6 percent in October, the statistics office said.")
    assert propose(text)[-1].speaker.name == "Calderra Statistics Office"


def test_an_organisations_generic_noun_is_never_a_stored_person_whose_role_has_that_word():
    governor = {"id": "sp-osei", "name": "Marguerite Osei-Lund", "kind": "person",
                "role": "Governor of the Bank of Calderra", "aliases": []}
    text = ("The Bank of Calderra left its main rate unchanged. "
            "Two of the nine board members voted for a cut, the bank said.")
    speaker = propose(text, known_speakers=[governor])[-1].speaker
    assert (speaker.name, speaker.kind) == ("Bank of Calderra", "organization")


def test_the_company_is_the_organisation_that_spoke_last_in_the_paragraph():
    text = ("Orlan Metals said in a letter to the Brenna Water Authority that a valve had failed. "
            "The company rejected claims that it had ignored warnings.")
    assert propose(text)[-1].speaker.name == "Orlan Metals"

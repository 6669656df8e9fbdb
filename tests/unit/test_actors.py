import pytest

from frontlines.events.actors import ActorNamer
from frontlines.events.lexicon import Lexicon


@pytest.fixture(scope="module")
def lex():
    return Lexicon.load()


def test_nationality_adjective_with_military_noun(lex):
    namer = ActorNamer(lex, "Ukraine")
    ref = namer.actor("Russian troops")
    assert ref.name == "Military Forces of Russia (2000-)" and ref.inter == 1
    assert namer.actor("elite Ukrainian units").name == "Military Forces of Ukraine (2019-)"


def test_metonym_acts_as_military_and_speaks_as_government(lex):
    namer = ActorNamer(lex, "Ukraine")
    assert namer.actor("Moscow").name == "Military Forces of Russia (2000-)"
    assert namer.speaker("Moscow").name == "Government of Russia (2000-)"


def test_civilians_take_the_country_of_the_place(lex):
    namer = ActorNamer(lex, "Ukraine")
    ref = namer.actor("two civilians", place_country="Ukraine")
    assert ref.name == "Civilians (Ukraine)" and ref.inter == 7


def test_named_organisation_and_descriptor_backreference(lex):
    namer = ActorNamer(lex, "Ukraine")
    namer.observe_text("The Institute for the Study of War, a think tank in Washington, said so.")
    assert namer.speaker("the think tank").name == "Institute for the Study of War"


def test_ministry_speaker_with_person(lex):
    namer = ActorNamer(lex, "Ukraine")
    ref = namer.speaker("Igor Konashenkov, the Russian defence ministry spokesman", person="Igor Konashenkov")
    assert "Ministry of Defence of Russia" in ref.name and "Igor Konashenkov" in ref.name


def test_pronoun_refers_to_last_actor(lex):
    namer = ActorNamer(lex, "Ukraine")
    namer.actor("Russian forces")
    assert namer.actor("its forces").name == "Military Forces of Russia (2000-)"


def test_user_actor_file_extends_lexicon(tmp_path):
    extra = tmp_path / "actors.tsv"
    extra.write_text("freedom of russia legion|frl\tFreedom of Russia Legion\t2\tRussia\tarmed_group\tlegion\n",
                     encoding="utf-8")
    lex = Lexicon.load(extra)
    namer = ActorNamer(lex, "Russia")
    assert namer.actor("fighters of the Freedom of Russia Legion").name == "Freedom of Russia Legion"


def test_unknown_phrase_gives_none(lex):
    assert ActorNamer(lex).actor("the weather") is None


def test_prefilter_sees_irregular_forms(lex):
    for sentence in ("Troops fought all night.", "A missile struck a depot.", "They withdrew.", "Shelling continued."):
        assert lex.prefilter.search(sentence), sentence
    assert not lex.prefilter.search("The central bank raised interest rates.")


def test_units_are_associated_actors_of_their_forces(lex):
    namer = ActorNamer(lex, "Ukraine")
    ref = namer.actor("Ukraine's 93rd Mechanized Brigade")
    assert ref.name == "Military Forces of Ukraine (2019-)"
    assert ref.assoc == "Military Forces of Ukraine (2019-) 93rd Mechanized Brigade"
    azov = namer.actor("fighters of the Azov Regiment")
    assert azov.name == "Military Forces of Ukraine (2019-)" and azov.assoc.endswith("Azov Regiment")


def test_weak_trigger_words_need_a_conflict_word_beside_them(lex):
    assert not lex.is_candidate("She found the keys and opened the door.")
    assert lex.is_candidate("Police found weapons and ammunition in the house.")
    assert lex.is_candidate("Troops took control of the village.")
    assert lex.is_candidate("Russian forces shelled the town.")

from frontlines.evaluation.plover import PLOVER_CATEGORIES
from frontlines.events.plover import plover_lexicon


def test_lexicon_covers_every_plover_category_with_valid_names():
    lex = plover_lexicon()
    categories = {cat for cat, _mode in lex.values()}
    assert categories == set(PLOVER_CATEGORIES)
    assert lex["threaten"] == ("THREATEN", "")
    assert lex["call on"][0] == "REQUEST"

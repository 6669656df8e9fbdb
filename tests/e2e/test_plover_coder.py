"""PLOVER coding of sentences the ACLED coder leaves out (real parser, sentences written for the test)."""
import pytest

from frontlines.events.plover import code_plover
from frontlines.nlp import load_nlp

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("sentence, category", [
    ("The two governments agreed to reopen the border crossing, officials said.", "AGREE"),
    ("Moldova's president refused to receive the Russian envoy.", "REJECT"),
    ("Kyiv urged its allies to send more air defence systems.", "REQUEST"),
    ("The foreign minister condemned the shelling of the nuclear plant.", "ACCUSE"),
    ("Belarus threatened to close its border with Lithuania.", "THREATEN"),
    ("Turkey's president met the UN secretary-general in Lviv on Thursday.", "CONSULT"),
    ("The European Union expelled 19 Russian diplomats.", "SANCTION"),
])
def test_main_predicate_category(sentence, category):
    coding = code_plover(load_nlp()(sentence))
    assert coding is not None and coding.category == category, coding

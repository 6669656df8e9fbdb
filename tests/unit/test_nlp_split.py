from frontlines.nlp import split_sentences


def test_offsets_point_back_into_the_text():
    text = "First line here. Second one follows!\n\nA new paragraph? Yes."
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["First line here.", "Second one follows!", "A new paragraph?", "Yes."]
    for s in sents:
        assert text[s.start:s.end] == s.text
    assert [s.paragraph for s in sents] == [0, 0, 1, 1]


def test_abbreviations_do_not_end_sentences():
    text = "The invasion began on Feb. 24 when Lt. Gen. Smith spoke. U.S. officials agreed."
    sents = split_sentences(text)
    assert sents[0].text == "The invasion began on Feb. 24 when Lt. Gen. Smith spoke."
    assert len(sents) == 2


def test_quotes_close_before_the_split():
    text = "“We are regrouping,” he said. Then it ended."
    assert [s.text for s in split_sentences(text)] == ["“We are regrouping,” he said.", "Then it ended."]


def test_line_breaks_split_lists_and_datelines():
    text = "Tuesday, 1 March 2022, 07:44\nMissiles hit the square."
    assert [s.text for s in split_sentences(text)] == ["Tuesday, 1 March 2022, 07:44", "Missiles hit the square."]


def test_empty_text_gives_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("   \n\n  ") == []


def test_a_page_with_no_full_stops_is_cut_into_pieces_the_parser_can_take():
    # Regression: one 1.2-million-character "sentence" with a trigger word went to spaCy whole,
    # which refuses texts over a million characters and so ended the whole batch's stream.
    from frontlines.nlp import MAX_SENTENCE_CHARS

    words = ("shelled " + "word " * 9 + "x" * 2500 + " ") * 400
    text = "Intro. " + words + "End."
    sentences = split_sentences(text)
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS
    for s in sentences:
        assert text[s.start:s.end] == s.text and s.text == s.text.strip()
    # nothing is lost: every non-space character is in exactly one piece, in order
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "")
    assert [s.index for s in sentences] == list(range(len(sentences)))

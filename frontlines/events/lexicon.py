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
    weak_prefilter: re.Pattern | None = None
    _actor_re: re.Pattern | None = None
    _target_re: re.Pattern | None = None
    _target_order: dict[str, int] = field(default_factory=dict)

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
        lex.prefilter, lex.weak_prefilter = _build_prefilters(lex)
        return lex

    def is_candidate(self, sentence: str) -> bool:
        """Can this sentence hold an event?  A strong trigger word suffices; a weak one ("took",
        "used", "opened") needs a word of armed conflict or protest beside it."""
        if self.prefilter.search(sentence):
            return True
        return bool(self.weak_prefilter.search(sentence) and CONFLICT_CONTEXT.search(sentence))

    def target_finder(self) -> tuple[re.Pattern, dict[str, int]]:
        """One overlapping pattern for the non-civilian target phrases (4+ characters), and their
        order in the lexicon (for ties)."""
        if self._target_re is None:
            phrases = [p for p, cat in self.targets.items() if cat != "civilians" and len(p) >= 4]
            alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
            self._target_re = re.compile(r"(?=\b(" + alternation + r")\b)")
            self._target_order = {p: i for i, p in enumerate(self.targets)}
        return self._target_re, self._target_order

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
_IRREGULAR = {"fight": ("fought",), "strike": ("struck",), "shoot": ("shot",), "take": ("took", "taken"),
              "leave": ("left",), "flee": ("fled",), "beat": ("beaten",), "withdraw": ("withdrew", "withdrawn"),
              "overrun": ("overran",), "blow": ("blew",), "down": ("downed",), "bomb": ("bombed",),
              "find": ("found",), "set": ("set",), "hold": ("held",)}


WEAK_WEIGHT = 0.4   # triggers at or below this weight only count beside a word of conflict
CONFLICT_CONTEXT = re.compile(
    r"\b(troops|forces|army|military|soldiers|fighters|militants?|gunm[ae]n|rebels?|police|protest\w*|"
    r"demonstrat\w*|missiles?|rockets?|drones?|shell\w*|artillery|bomb\w*|weapons?|arms|ammunition|explosives?|"
    r"chemical|gas|mines?|grenades?|fire|control|base|headquarters|ceasefire|truce|prisoners?|war|offensive|"
    r"front|occup\w+|invad\w+|kill\w*|wound\w*|attack\w*|strikes?|airstrikes?|positions?)\b", re.IGNORECASE)


def _build_prefilters(lex: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    strong: set[str] = set()
    weak: set[str] = set()

    def add(lemma: str, is_strong: bool) -> None:
        target = strong if is_strong else weak
        target.add(_stem(lemma))
        target.update(_IRREGULAR.get(lemma, ()))

    for (lemma, _pos), trig in lex.triggers.items():
        add(lemma, trig.weight > WEAK_WEIGHT)
    for verb, particles in lex.particles.items():
        add(verb, any(t.weight > WEAK_WEIGHT for t in particles.values()))
    strong.add("killed")
    weak -= strong
    return _alternation(strong), _alternation(weak)


def _alternation(stems: set[str]) -> re.Pattern:
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

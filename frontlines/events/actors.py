"""Name actors and claimants in ACLED's style from noun phrases.

"Russian troops" -> Military Forces of Russia (2000-); "Moscow" as the one who acts ->
Military Forces of Russia, as the one who speaks -> Government of Russia; "the think tank"
-> the last organisation so described; "civilians" -> Civilians (<country of the place>).
Every answer carries a reason code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Country, Lexicon, NamedActor
from .taxonomy import (INTER_CIVILIANS, INTER_EXTERNAL, INTER_PROTESTERS, INTER_RIOTERS,
                       INTER_STATE)

MILITARY_NOUNS = {
    "troops", "troop", "forces", "force", "army", "military", "soldiers", "soldier", "units", "unit",
    "servicemen", "paratroopers", "marines", "artillery", "jets", "aircraft", "warplanes", "helicopters",
    "navy", "fleet", "battalion", "brigade", "regiment", "tanks", "defenders", "fighters", "invaders",
    "occupiers", "occupying", "military's", "command", "commanders", "air force", "aviation", "sappers",
    "gunners", "drones", "missiles", "snipers", "infantry", "reservists", "conscripts", "mercenaries",
    "special forces", "border guards", "guards", "counteroffensive", "offensive", "shelling", "strikes",
    "attack", "attacks", "advance", "advances", "assault", "bombardment", "missile", "positions",
}
POLICE_NOUNS = {"police", "policemen", "officers", "riot police", "security forces", "law enforcement"}
CIVILIAN_NOUNS = {
    "civilians", "civilian", "residents", "resident", "people", "children", "child", "woman", "women",
    "man", "men", "villagers", "family", "families", "passengers", "volunteers", "journalists",
    "journalist", "pensioners", "refugees", "evacuees", "girl", "boy", "teenager", "elderly",
    "locals", "inhabitants", "citizens", "workers", "doctors", "medics", "teacher", "farmer",
    "civilian deaths", "population", "students", "student", "worshippers", "pupils", "shoppers", "farmers",
    "herders", "pilgrims", "mourners", "patients", "fishermen", "motorists", "travellers", "travelers",
}
PROTESTER_NOUNS = {"protesters", "protestors", "demonstrators", "activists", "marchers", "crowd", "crowds"}
RIOTER_NOUNS = {"rioters", "mob", "looters"}
UNIDENTIFIED = {"gunmen", "gunman", "attackers", "assailants", "militants", "unknown", "unidentified",
                "armed men", "saboteurs", "insurgents", "terrorists", "bandits", "jihadists", "extremists",
                "rebels", "guerrillas", "kidnappers"}
PRONOUNS = {"it", "its", "they", "their", "them", "he", "she", "his", "her"}
_UNIT = re.compile(r"\b\d{1,3}(?:st|nd|rd|th)\s+(?:[A-Z][a-z]+\s+){0,3}(?:brigade|regiment|battalion|division|"
                   r"army|corps|fleet)\b", re.IGNORECASE)
_ARMED_MENTION = re.compile(r"\b[A-Z][\w'’]+(?:'s|’s)?\s+(?:[a-z-]+\s+){0,2}(?:troops|forces|army|military|soldiers|units)\b")
BOTH_SIDES = re.compile(r"\b(both sides|each side|the two sides|both armies|both countries|the warring sides)\b",
                        re.IGNORECASE)


@dataclass(slots=True)
class ActorRef:
    name: str
    inter: int | None
    country: str            # the country the actor belongs to ("" when none)
    reason: str
    role: str = ""          # military, government, ministry, organisation, civilians, person, ...
    assoc: str = ""         # a unit of the actor ("Military Forces of Ukraine (2019-) 93rd Mechanized Brigade")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z.'-]*", text.lower())


class ActorNamer:
    """Turns noun phrases into ACLED-style actor names, keeping a per-article memory."""

    def __init__(self, lexicon: Lexicon, article_country: str = "") -> None:
        self.lex = lexicon
        self.article_country = article_country
        self.last_actor: ActorRef | None = None        # antecedent for "it", "its forces"
        self.last_claimant: ActorRef | None = None
        self.last_by_descriptor: dict[str, ActorRef] = {}

    # -- memory ---------------------------------------------------------------------------
    def observe_text(self, text: str) -> None:
        """Remember named organisations in a sentence, so later "the think tank" can refer back."""
        for _s, _e, actor in self.lex.find_named_actors(text):
            ref = self._from_named(actor, "actor:named")
            for d in actor.descriptors:
                self.last_by_descriptor[d] = ref
            if actor.role in ("organisation", "ministry"):
                self.last_claimant = ref

    # -- actors who act -------------------------------------------------------------------
    def actor(self, phrase: str, *, place_country: str = "", as_speaker: bool = False,
              before: str = "", remember: bool = True) -> ActorRef | None:
        """The actor a noun phrase names, or None. ``before``: the sentence up to the phrase, where a
        pronoun's antecedent is looked for first. ``remember=False`` for a side acted upon: "they"
        in the next sentence is the side that attacked, not the positions attacked."""
        if remember:
            return self._actor(phrase, place_country=place_country, as_speaker=as_speaker, before=before)
        memory = self.last_actor, self.last_claimant
        try:
            return self._actor(phrase, place_country=place_country, as_speaker=as_speaker, before=before)
        finally:
            self.last_actor, self.last_claimant = memory

    def _actor(self, phrase: str, *, place_country: str, as_speaker: bool, before: str) -> ActorRef | None:
        text = phrase.strip()
        if not text:
            return None
        low = text.lower()
        words = _words(text)
        wordset = set(words)
        # 1. named actors from the lexicon (longest pattern first)
        for _s, _e, named in self.lex.find_named_actors(text):
            ref = self._from_named(named, "actor:named")
            base = self._unit_of(named)
            if base is not None and not as_speaker:
                # a unit: the event's actor is its country's forces, the unit an associated actor
                return self._remember(ActorRef(base, named.inter, named.country, "actor:unit", named.role,
                                               assoc=named.name), as_speaker)
            if as_speaker or named.role not in ("ministry",):
                return self._remember(ref, as_speaker)
            # a ministry that acts is its country's military
            country = self.lex.countries.get(named.country)
            if country:
                return self._remember(ActorRef(country.military, INTER_STATE, country.name,
                                               "actor:ministry_as_military", "military"), as_speaker)
            return self._remember(ref, as_speaker)
        # 2. descriptors that refer back ("the think tank", "the ministry")
        for desc, ref in self.last_by_descriptor.items():
            if re.search(r"\bthe " + re.escape(desc) + r"\b", low):
                return self._remember(ActorRef(ref.name, ref.inter, ref.country, "actor:descriptor_backref",
                                               ref.role), as_speaker)
        # 3. pronouns refer back: to an armed actor earlier in the same sentence, else the last one
        if words and words[0] in PRONOUNS and len(words) <= 3:
            local = self._last_armed_mention(before)
            if local is not None and not as_speaker:
                return local
            ante = self.last_claimant if as_speaker and self.last_claimant else self.last_actor
            if ante is not None:
                return ActorRef(ante.name, ante.inter, ante.country, "actor:pronoun_backref", ante.role)
            return None
        # 4. both sides
        if BOTH_SIDES.search(low):
            return ActorRef("both sides", None, "", "actor:both_sides", "both")
        country = self._country_in(words)
        has_mil = bool(wordset & MILITARY_NOUNS) or "air force" in low or "special forces" in low
        # 5. civilians, protesters, rioters, police, unidentified groups
        if wordset & CIVILIAN_NOUNS and not has_mil:
            c = place_country or (country.name if country else "") or self.article_country
            return ActorRef(f"Civilians ({c})" if c else "Civilians", INTER_CIVILIANS, c, "actor:civilians",
                            "civilians")
        if wordset & PROTESTER_NOUNS:
            c = place_country or (country.name if country else "") or self.article_country
            return ActorRef(f"Protesters ({c})" if c else "Protesters", INTER_PROTESTERS, c,
                            "actor:protesters", "protesters")
        if wordset & RIOTER_NOUNS:
            c = place_country or (country.name if country else "") or self.article_country
            return ActorRef(f"Rioters ({c})" if c else "Rioters", INTER_RIOTERS, c, "actor:rioters", "rioters")
        if wordset & POLICE_NOUNS or "riot police" in low or "security forces" in low:
            c = country or self.lex.countries.get(place_country or self.article_country)
            if c:
                return self._remember(ActorRef(c.police, INTER_STATE, c.name, "actor:police", "police"), as_speaker)
        if wordset & UNIDENTIFIED and country is None:
            c = place_country or self.article_country
            return ActorRef(f"Unidentified Armed Group ({c})" if c else "Unidentified Armed Group", 3, c,
                            "actor:unidentified", "armed_group")
        # 6. a country word, with or without a military noun
        unit = _UNIT.search(text)
        if country is not None and unit is not None and not as_speaker:
            title = " ".join(w if w.isupper() else w.capitalize() for w in unit.group(0).split())
            return self._remember(ActorRef(country.military, INTER_STATE, country.name, "actor:unit", "military",
                                           assoc=f"{country.military} {title}"), as_speaker)
        if country is not None:
            if as_speaker:
                if has_mil:
                    return self._remember(ActorRef(country.military, INTER_STATE, country.name,
                                                   "actor:country_military", "military"), True)
                return self._remember(ActorRef(country.government, INTER_STATE, country.name,
                                               "actor:country_government", "government"), True)
            reason = "actor:adjective_military" if has_mil else "actor:country_as_military"
            return self._remember(ActorRef(country.military, INTER_STATE, country.name, reason, "military"),
                                  as_speaker)
        # 7. a lone military noun ("troops", "the army") in an article about one country's war
        if has_mil and self.last_actor is not None and re.search(r"\b(its|their)\b", low):
            ante = self.last_actor
            return ActorRef(ante.name, ante.inter, ante.country, "actor:possessive_backref", ante.role)
        return None

    def speaker(self, phrase: str, person: str = "") -> ActorRef | None:
        """Who makes a claim: a named organisation, a person (with their organisation), a government."""
        ref = self.actor(phrase, as_speaker=True)
        if person:
            org = ref.name if ref and ref.role not in ("government",) and ref.reason != "actor:pronoun_backref" else ""
            name = f"{org}; {person}" if org else person
            ref = ActorRef(name, ref.inter if ref else None, ref.country if ref else "", "claim:person", "person")
        if ref is not None:
            self.last_claimant = ref
        return ref

    def speaker_ref(self, claimant: str) -> ActorRef | None:
        """The armed actor behind a claimant name, when it is one ("Wagner Group; Yevgeny Prigozhin")."""
        first = claimant.split(";")[0].strip()
        for named in self.lex.actors:
            if named.name == first and named.role in ("armed_group", "military", "police", "ministry"):
                if named.role == "ministry":
                    country = self.lex.countries.get(named.country)
                    return ActorRef(country.military, INTER_STATE, country.name, "actor:speaker_forces",
                                    "military") if country else None
                return ActorRef(named.name, named.inter, named.country, "actor:speaker_forces", named.role)
        for country in self.lex.countries.values():
            if first in (country.military, country.government):
                return ActorRef(country.military, INTER_STATE, country.name, "actor:speaker_forces", "military")
        return None

    def _last_armed_mention(self, text: str) -> ActorRef | None:
        """The last "Russian troops" / "Moscow" / "Ukraine's army" in ``text``."""
        if not text:
            return None
        found = None
        for m in _ARMED_MENTION.finditer(text):
            words = _words(m.group(0))
            country = self._country_in(words)
            if country is not None:
                found = ActorRef(country.military, INTER_STATE, country.name, "actor:antecedent_in_sentence",
                                 "military")
        return found

    # -- helpers --------------------------------------------------------------------------
    def _country_in(self, words: list[str]) -> Country | None:
        for i, w in enumerate(words):
            if w in self.lex.metonyms:
                return self.lex.metonyms[w]
            if w in self.lex.country_words:
                # "us" only counts when written as a country ("U.S.", "US") - callers pass raw text
                if w == "us":
                    continue
                return self.lex.country_words[w]
            if i + 1 < len(words) and f"{w} {words[i + 1]}" in self.lex.metonyms:
                return self.lex.metonyms[f"{w} {words[i + 1]}"]
        return None

    def _unit_of(self, named: NamedActor) -> str | None:
        """The country force a named unit belongs to ("... Azov Regiment" -> Military Forces of Ukraine)."""
        country = self.lex.countries.get(named.country)
        if country is None:
            return None
        for base in (country.military, country.police):
            if named.name.startswith(base + " "):
                return base
        return None

    def _from_named(self, named: NamedActor, reason: str) -> ActorRef:
        return ActorRef(named.name, named.inter, named.country, reason, named.role)

    def _remember(self, ref: ActorRef, as_speaker: bool) -> ActorRef:
        if as_speaker:
            self.last_claimant = ref
        elif ref.role in ("military", "government", "armed_group", "police"):
            self.last_actor = ref
        return ref


def is_state_of(ref: ActorRef | None, country: str) -> bool:
    return bool(ref and ref.inter == INTER_STATE and ref.country == country)


def inter_of(ref: ActorRef | None) -> int | None:
    return None if ref is None else ref.inter


__all__ = ["ActorNamer", "ActorRef", "BOTH_SIDES", "is_state_of", "inter_of", "INTER_EXTERNAL"]

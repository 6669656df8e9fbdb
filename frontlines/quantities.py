"""Numbers, quantities with units, fatalities and injuries.

Public API
----------
``parse_number(text) -> int | None``
    "3,000" -> 3000, "1.5 million" -> 1500000, "twenty-one" -> 21, "two dozen" -> 24,
    vague words by ACLED's conventions ("dozens" -> 12, "several"/"a few"/"some" -> 3,
    "many"/"scores" -> 10, "hundreds" -> 100, "thousands" -> 1000, "tens of thousands"
    -> 10000), qualifiers dropped ("at least 12" -> 12, "over 3,000" -> 3000), ranges
    give the lowest figure ("between 5 and 7" -> 5).
``find_quantities(text, offset=0) -> list[Quantity]``
    counted things with a normalised unit (km2, km, missiles, drones, troops, ...)
    and a short ``of`` phrase saying what is counted.
``find_fatalities(text) -> tuple[int, str] | None`` / ``find_injuries(text) -> ...``
    the number killed / injured with a reason such as ``fatalities:explicit``.

All pure regex: no model, no I/O.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from frontlines.records import Quantity

log = logging.getLogger(__name__)

__all__ = [
    "parse_number", "parse_number_ex", "find_quantities", "find_fatalities",
    "find_injuries", "NumberMatch", "find_numbers",
]

# --------------------------------------------------------------------------- words
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX_SCALES = {
    "thousand": 1000, "k": 1000, "million": 1_000_000, "mln": 1_000_000, "m": 1_000_000,
    "billion": 1_000_000_000, "bn": 1_000_000_000,
}

# Vague amounts (ACLED conventions; "several"/"few"/"some" -> 3, "many" -> 10).
_VAGUE: dict[str, tuple[int, str]] = {
    "tens of thousands": (10000, "vague_tens_of_thousands"),
    "hundreds of thousands": (100000, "vague_hundreds_of_thousands"),
    "millions": (1_000_000, "vague_millions"),
    "thousands": (1000, "vague_thousands"),
    "hundreds": (100, "vague_hundreds"),
    "dozens": (12, "vague_dozens"),
    "scores": (10, "vague_many"),
    "many": (10, "vague_many"),
    "numerous": (10, "vague_many"),
    "multiple": (3, "vague_several"),
    "several": (3, "vague_several"),
    "a few": (3, "vague_few"),
    "few": (3, "vague_few"),
    "a handful": (3, "vague_few"),
    "a number": (3, "vague_several"),
    "some": (3, "vague_some"),
}

_NUMWORD = "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))
_SCALEWORD = "hundred|thousand|million|billion"
# "twenty-one", "two hundred and fifty", "a hundred", "one thousand five hundred"
_WORDNUM = (
    rf"(?:(?:{_NUMWORD}|a)(?:[\s-]+(?:{_NUMWORD}|{_SCALEWORD}|and(?=[\s-]+(?:{_NUMWORD}))))*"
    rf"(?<!\ba)(?<!\band))"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DIGNUM = rf"(?:{_DIGITS})(?:\s*(?:thousand|million|mln|billion|bn)\b|(?:k|m|bn)\b(?!\s*(?:²|2)))?"
_DOZEN = r"(?:(?:half\s+a|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+dozen)"
_COUPLE = r"(?:a\s+(?:couple|pair)(?:\s+of)?)"
_VAGUEWORD = (
    r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|millions|thousands|hundreds|dozens"
    r"|scores|many|numerous|multiple(?!\s+(?:rocket|launch))|several|a\s+few|few|a\s+handful|a\s+number|some)"
)
_QUAL = (
    r"(?:at\s+least|at\s+most|up\s+to|more\s+than|less\s+than|fewer\s+than|no\s+fewer\s+than"
    r"|no\s+less\s+than|just\s+over|just\s+under|well\s+over|over|under|nearly|almost|about"
    r"|around|approximately|roughly|some|as\s+many\s+as|an\s+estimated|estimated|close\s+to"
    r"|in\s+excess\s+of|upwards\s+of|a\s+total\s+of|a\s+further|another|the)"
)
_ONENUM = rf"(?:{_DOZEN}|{_COUPLE}|{_DIGNUM}|{_WORDNUM})"
_RANGE_SEP = r"(?:\s*(?:-|–|—)\s*|\s+(?:to|or)\s+)"
NUMBER_RE = re.compile(
    rf"(?<![\w.,-])(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:between\s+(?P<b1>{_ONENUM})\s+and\s+(?P<b2>{_ONENUM})"
    rf"|(?P<n1>{_ONENUM})(?:{_RANGE_SEP}(?P<n2>{_ONENUM}))?"
    rf"|(?P<vague>{_VAGUEWORD}))(?:(?![\w])|(?<=\d)(?=km|mi\b|kilomet|sq\b))",
    re.I,
)
_WORDNUM_FULL = re.compile(rf"{_WORDNUM}$", re.I)


@dataclass(slots=True)
class NumberMatch:
    value: int
    start: int
    end: int
    text: str
    kind: str        # "explicit", "range", "vague", "dozen"
    reason: str      # e.g. "explicit", "lowest_of_range", "vague_dozens"
    qualifier: str = ""
    float_value: float = 0.0


def _words_to_int(s: str) -> int | None:
    toks = [t for t in re.split(r"[\s-]+", s.lower().strip()) if t and t != "and"]
    if not toks:
        return None
    total = 0
    current = 0
    seen = False
    for i, t in enumerate(toks):
        if t == "a":
            if i != 0:
                return None
            current = 1
            continue
        if t in _UNITS:
            current += _UNITS[t]
            seen = True
        elif t in _TENS:
            current += _TENS[t]
            seen = True
        elif t == "hundred":
            current = (current or 1) * 100
            seen = True
        elif t in _SCALES:
            total += (current or 1) * _SCALES[t]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _one_value(s: str) -> tuple[float, str] | None:
    """Value of one number (no qualifier, no range): (value, kind)."""
    s = s.strip().lower()
    m = re.fullmatch(r"(half\s+a|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+dozen", s)
    if m:
        w = re.sub(r"\s+", " ", m.group(1))
        n = 0.5 if w == "half a" else (1 if w == "a" else _UNITS.get(w, _TENS.get(w, 1)))
        return n * 12, "dozen"
    if re.fullmatch(r"a\s+(?:couple|pair)(?:\s+of)?", s):
        return 2.0, "explicit"
    m = re.fullmatch(rf"({_DIGITS})\s*(thousand|million|mln|billion|bn|k|m)?", s)
    if m:
        num = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", num):
            v = float(num.replace(",", ""))
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num) and not m.group(2):
            # "3.000" in continental style
            v = float(num.replace(".", ""))
        else:
            v = float(num)
        if m.group(2):
            v *= _SUFFIX_SCALES[m.group(2)]
        return v, "explicit"
    if _WORDNUM_FULL.match(s):
        v = _words_to_int(s)
        if v is not None:
            return float(v), "explicit"
    return None


def _interpret(m: re.Match) -> NumberMatch | None:
    qual = re.sub(r"\s+", " ", (m.group("qual") or "").lower())
    if m.group("vague"):
        key = re.sub(r"\s+", " ", m.group("vague").lower())
        if qual and qual not in ("some", "the", "another", "a further"):
            # "at least dozens" keeps the vague reading
            pass
        val, reason = _VAGUE[key]
        return NumberMatch(val, m.start(), m.end(), m.group(0), "vague", reason, qual, float(val))
    if m.group("b1"):
        a, b = _one_value(m.group("b1")), _one_value(m.group("b2"))
        if a is None or b is None:
            return None
        lo = min(a[0], b[0])
        return NumberMatch(int(lo), m.start(), m.end(), m.group(0), "range", "lowest_of_range", qual, lo)
    a = _one_value(m.group("n1"))
    if a is None:
        return None
    if m.group("n2"):
        b = _one_value(m.group("n2"))
        if b is not None:
            # "5-7", "five or six": a range; "1.5-2 million" style scaling is rare, ignore
            lo = min(a[0], b[0])
            return NumberMatch(int(lo), m.start(), m.end(), m.group(0), "range", "lowest_of_range",
                               qual, lo)
    reason = "dozen" if a[1] == "dozen" else "explicit"
    return NumberMatch(int(a[0]), m.start(), m.end(), m.group(0), a[1], reason, qual, a[0])


def find_numbers(text: str) -> list[NumberMatch]:
    """Every number-like expression in ``text`` (digits, words, vague words, ranges)."""
    out: list[NumberMatch] = []
    for m in NUMBER_RE.finditer(text):
        nm = _interpret(m)
        if nm is None:
            continue
        # a bare "a" / "some" inside longer words is excluded by the regex; drop a lone
        # "a" that is not part of "a dozen"/"a hundred"
        if nm.text.strip().lower() in ("a", "the"):
            continue
        out.append(nm)
    return out


def parse_number_ex(text: str) -> NumberMatch | None:
    """Like :func:`parse_number` but returns the match with kind and reason."""
    if not text:
        return None
    s = text.strip()
    m = NUMBER_RE.fullmatch(s) or NUMBER_RE.search(s)
    # "a number of", "a couple of", "dozens of": trailing "of" is allowed
    if m is None:
        return None
    return _interpret(m)


def parse_number(text: str) -> int | None:
    """The number a phrase states, per ACLED's conventions for vague amounts.

    Non-integer values are truncated ("2.5" -> 2); "1.5 million" -> 1500000.
    Returns ``None`` when the phrase holds no number.
    """
    nm = parse_number_ex(text)
    return None if nm is None else nm.value


# --------------------------------------------------------------------------- units
# (regex for the noun, unit, base "of" label, multiplier)
_UNIT_TABLE: list[tuple[str, str, str, float]] = [
    (r"square\s+kilomet(?:er|re)s?|sq\.?\s*km|km2|km²|kilomet(?:er|re)s?\s+squared", "km2", "area", 1.0),
    (r"square\s+miles?|sq\.?\s*mi(?:les?)?", "km2", "area", 2.589988),
    (r"hectares?", "km2", "area", 0.01),
    (r"kilomet(?:er|re)s?|km", "km", "distance", 1.0),
    (r"miles?", "km", "distance", 1.609344),
    (r"met(?:er|re)s?", "km", "distance", 0.001),
    (r"(?:cruise\s+|ballistic\s+|hypersonic\s+|guided\s+|anti-aircraft\s+)?missiles?", "missiles", "missiles", 1.0),
    (r"(?:attack\s+|kamikaze\s+|shahed\s+|combat\s+|reconnaissance\s+)?(?:drones?|uavs?|unmanned\s+aerial\s+vehicles?)", "drones", "drones", 1.0),
    (r"rockets?", "rockets", "rockets", 1.0),
    (r"(?:artillery\s+|mortar\s+|tank\s+)?(?:shells?|rounds)", "shells", "shells", 1.0),
    (r"(?:glide\s+|guided\s+aerial\s+|aerial\s+|cluster\s+)?bombs?", "bombs", "bombs", 1.0),
    (r"airstrikes?|air\s+strikes?|strikes", "strikes", "strikes", 1.0),
    (r"tanks?", "tanks", "tanks", 1.0),
    (r"(?:armou?red\s+(?:personnel\s+carriers|vehicles?|fighting\s+vehicles?)|apcs|ifvs|vehicles)", "vehicles", "vehicles", 1.0),
    (r"helicopters?", "helicopters", "helicopters", 1.0),
    (r"(?:aircraft|(?:war|fighter\s+)?planes?|jets?|fighter\s+jets?)", "aircraft", "aircraft", 1.0),
    (r"(?:howitzers?|artillery\s+(?:systems?|pieces?|guns?)|guns|launchers?|mlrs)", "artillery", "artillery", 1.0),
    (r"(?:prisoners(?:\s+of\s+war)?|pows|captives|hostages)", "prisoners", "prisoners", 1.0),
    (r"(?:troops|soldiers|servicemen|servicemembers|service\s+members|fighters|personnel"
     r"|paratroopers|mercenaries|reservists|recruits|marines|militants|conscripts|combatants)", "troops", "troops", 1.0),
    (r"(?:losses|casualties)", "losses", "losses", 1.0),
    (r"(?:deaths|dead|fatalities|bodies|victims)", "people", "killed", 1.0),
    (r"(?:civilians|people|persons|residents|children|women|men|adults|students|workers"
     r"|inhabitants|refugees|evacuees|villagers|officials|journalists|doctors|protesters"
     r"|protestors|demonstrators|passengers|teenagers|boys|girls|families|individuals)", "people", "people", 1.0),
    (r"(?:villages|towns|settlements|localities|hamlets|cities|communities|municipalities)", "settlements", "settlements", 1.0),
    (r"(?:(?:residential\s+|apartment\s+|high-rise\s+)?(?:buildings|blocks|houses|homes|apartments)|high-rises)", "buildings", "buildings", 1.0),
    (r"(?:power\s+plants|substations|facilities|bridges|schools|hospitals)", "facilities", "facilities", 1.0),
    (r"(?:percent|per\s+cent|%)", "percent", "percent", 1.0),
]
_UNIT_RES = [(re.compile(rf"(?:{pat})(?![\w])", re.I), unit, of, mult) for pat, unit, of, mult in _UNIT_TABLE]
_UNIT_ANY = re.compile("|".join(f"(?:{p})" for p, *_ in _UNIT_TABLE), re.I)
# words allowed between the number and its noun ("11 Russian cruise missiles")
_FILLER = re.compile(
    r"(?:[ \t]*(?:-|–)[ \t]*|[ \t]+)(?:of[ \t]+(?:the[ \t]+)?)?"
    r"((?:(?!(?:and|or|were|was|are|is|had|have|has|been|by|in|on|at|from|to|with|that|who|which|"
    r"killed|wounded|injured|died|than|more|per|for|into|across|as|after|before|since|while|when|"
    r"where|whereas|because|if|but|a|an|the|said|says|indicates?|shows?|[A-Za-z][\w'’-]*ing)\b)"
    r"[A-Za-z][\w'’-]*[ \t]+){0,3})",
    re.I,
)
_SYMBOL_UNIT = re.compile(r"\s*(?:(km²|km2|sq\.?\s*km|km|mi\b|%|kilomet(?:er|re)s?))", re.I)
_AFTER_NOUN = re.compile(
    r"\b(?P<noun>losses|casualties|troops|soldiers|forces|deaths|toll|dead|prisoners|missiles|drones)"
    r"(?:\s*[-–—,]\s*|\s+)(?:numbering|totall?ing|estimated\s+at|amounting\s+to|reaching|of)\s+"
    r"(?:in\s+the\s+)?",
    re.I,
)
_VERB_LABELS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(?:shot\s+down|intercept\w*|downed|neutrali[sz]\w*|destroyed\s+in\s+the\s+air)", re.I), "shot down"),
    (re.compile(r"\b(?:liberat\w*|recaptur\w*|retak\w*|retook|regain\w*|freed|de-?occup\w*)", re.I), "liberated"),
    (re.compile(r"\b(?:captur\w*|seiz\w*|occup\w*|took|taken|overr[au]n)", re.I), "captured"),
    (re.compile(r"\b(?:launch\w*|fired|firing|fires|hurled|sent)", re.I), "launched"),
    (re.compile(r"\b(?:killed|killing|dead|died|deaths?|lost\s+their\s+lives|perished)", re.I), "killed"),
    (re.compile(r"\b(?:wounded|injured|injuring|wounding|hurt)", re.I), "injured"),
    (re.compile(r"\b(?:evacuat\w*)", re.I), "evacuated"),
    (re.compile(r"\b(?:destroy\w*|damag\w*)", re.I), "damaged or destroyed"),
    (re.compile(r"\b(?:advanc\w*|penetrat\w*|pushed|moved\s+forward|depth)", re.I), "advance"),
]


def _context_label(text: str, start: int, end: int, unit: str, base: str) -> str:
    """Short phrase saying what a quantity counts, from nearby words in its sentence."""
    lo = max(0, start - 90)
    hi = min(len(text), end + 60)
    left = text[lo:start]
    cut = max(left.rfind(". "), left.rfind("; "), left.rfind("? "), left.rfind("! "))
    if cut >= 0:
        left = left[cut + 2:]
    right = text[end:hi]
    rcut = min([i for i in (right.find(". "), right.find("; ")) if i >= 0], default=-1)
    if rcut >= 0:
        right = right[:rcut]
    ctx = left + " " + right
    low = ctx.lower()
    # nearest verb label (by distance to the quantity)
    best: tuple[int, str] | None = None
    for rx, label in _VERB_LABELS:
        for m in rx.finditer(left):
            d = len(left) - m.end()
            if best is None or d < best[0]:
                best = (d, label)
        for m in rx.finditer(right):
            d = m.start() + 1
            if best is None or d < best[0]:
                best = (d, label)
    verb = best[1] if best else ""
    if unit == "km2":
        if "territor" in low or "land" in low or verb in ("liberated", "captured"):
            return "territory " + verb if verb in ("liberated", "captured") else "territory"
        return "area"
    if unit == "km":
        if re.search(r"\bdepth\b|penetrat|advanc|push|forward|deep\b", low):
            return "depth of advance"
        if re.search(r"\bfront(?:\s*line)?\b|\bfrontline\b", right.lower()[:40]):
            return "distance from front line"
        if re.search(r"\bborder\b", right.lower()[:50]):
            return "distance from border"
        if re.search(r"\brange\b", low):
            return "range"
        if re.search(r"\b(?:stretch|long|length|along)\b", low):
            return "length"
        return "distance"
    if unit == "losses":
        if re.search(r"\benemy\b|inflicted|russian\s+losses|ukrainian\s+losses", low):
            return "enemy losses"
        return "losses"
    if unit in ("missiles", "drones", "rockets", "bombs", "shells"):
        if verb == "shot down":
            return f"{base} shot down"
        if verb == "launched":
            return f"{base} launched" if unit != "shells" else "shells fired"
        if verb == "damaged or destroyed":
            return f"{base} destroyed"
        return base
    if unit == "settlements":
        if verb in ("liberated", "captured"):
            return f"settlements {verb}"
        return "settlements"
    if unit in ("people", "troops"):
        if base == "killed" or verb == "killed":
            return "people killed" if unit == "people" else "troops killed"
        if verb == "injured":
            return "people injured" if unit == "people" else "troops injured"
        if verb == "evacuated":
            return "people evacuated"
        if unit == "troops":
            return "troops"
        return "people"
    if unit == "prisoners":
        return "prisoners exchanged" if "exchang" in low or "swap" in low else "prisoners"
    if unit == "buildings":
        return "buildings damaged" if verb == "damaged or destroyed" else "buildings"
    if unit in ("tanks", "vehicles", "aircraft", "helicopters", "artillery"):
        if verb == "damaged or destroyed":
            return f"{base} destroyed"
        if verb == "shot down":
            return f"{base} shot down"
        return base
    return base


def _match_unit(noun: str) -> tuple[str, str, float] | None:
    for rx, unit, of, mult in _UNIT_RES:
        if rx.fullmatch(noun.strip()):
            return unit, of, mult
    return None


_QUICK = re.compile(
    rf"\d|\b(?:{_NUMWORD}|dozen|dozens|hundreds|thousands|millions|several|few|many|scores|numerous|some|multiple|couple|pair|handful|number)\b",
    re.I,
)
_DATE_AFTER = re.compile(
    r"[ \t]*(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
_AGE = re.compile(r"\s*(?:-|\s)years?(?:-|\s)old|\s*-(?:year|month|day|hour|week)\b", re.I)


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Quantities with a recognised unit, in text order.

    ``value`` is converted to the normalised unit (miles -> km, square miles -> km2,
    metres -> km); for ranges and vague words the lowest / conventional figure is used.
    """
    if not text or not _QUICK.search(text):
        return []
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for nm in find_numbers(text):
        if any(s <= nm.start < e for s, e in taken):
            continue
        after = text[nm.end:nm.end + 60]
        if _AGE.match(after) or _DATE_AFTER.match(after):
            continue
        # "70km", "3,000 sq km", "km²"
        sm = _SYMBOL_UNIT.match(after) if nm.kind != "vague" else None
        unit_info = None
        end = nm.end
        if sm:
            unit_info = _match_unit(sm.group(1))
            end = nm.end + sm.end()
        if unit_info is None:
            fm = _FILLER.match(after)
            if fm:
                pos = fm.end()
                # try the noun right after 0..3 filler words, shortest filler first
                words = list(re.finditer(r"[A-Za-z][\w'’-]*\s+", fm.group(1) or ""))
                cand_starts = [fm.start(1) if fm.group(1) else pos] + [
                    fm.start(1) + w.end() for w in words]
                for cs in cand_starts:
                    um = _UNIT_ANY.match(after, cs)
                    if um and (um.end() == len(after) or not after[um.end()].isalnum()):
                        info = _match_unit(um.group(0))
                        if info:
                            unit_info = info
                            end = nm.end + um.end()
                            break
        if unit_info is None:
            continue
        # "2-kilometre" adjectival is fine; skip "one of the missiles" style partitives
        unit, base, mult = unit_info
        value = nm.float_value * mult
        value = round(value, 3) if mult != 1.0 else value
        if value == int(value):
            value = float(int(value))
        label = _context_label(text, nm.start, end, unit, base)
        out.append(Quantity(value=value, unit=unit, of=label, text=text[nm.start:end],
                            start=nm.start + offset, end=end + offset))
        taken.append((nm.start, end))
    # "losses numbering in the thousands"
    for m in _AFTER_NOUN.finditer(text):
        nm_m = NUMBER_RE.match(text, m.end())
        if not nm_m:
            continue
        if any(s <= nm_m.start() < e for s, e in taken):
            continue
        nm = _interpret(nm_m)
        if nm is None:
            continue
        info = _match_unit(m.group("noun"))
        if info is None:
            noun = m.group("noun").lower()
            info = {"forces": ("troops", "troops", 1.0), "toll": ("people", "killed", 1.0)}.get(noun)
        if info is None:
            continue
        unit, base, mult = info
        label = _context_label(text, m.start(), nm_m.end(), unit, base)
        out.append(Quantity(value=float(nm.float_value * mult), unit=unit, of=label,
                            text=text[m.start():nm_m.end()], start=m.start() + offset,
                            end=nm_m.end() + offset))
        taken.append((m.start(), nm_m.end()))
    out.sort(key=lambda q: q.start)
    return out


# --------------------------------------------------------------------------- casualties
_NUM_CORE = rf"(?:(?:{_QUAL})\s+)?(?:between\s+{_ONENUM}\s+and\s+{_ONENUM}|{_ONENUM}(?:{_RANGE_SEP}{_ONENUM})?|{_VAGUEWORD})"
_PERSON = (
    r"(?:people|persons?|civilians?|residents?|children|child|kids|women|woman|men|man|boys?|girls?"
    r"|soldiers?|servicem[ae]n|troops|fighters?|militants?|police(?:m[ae]n|\s+officers?)?|officers?"
    r"|employees|workers?|staff|rescuers?|firefighters?|medics?|doctors?|journalists?|volunteers?"
    r"|individuals|pensioners?|teenagers?|infants?|babies|baby|students?|passengers?|drivers?"
    r"|family\s+members|members|others|adults|victims|inhabitants|locals|villagers|mercenaries"
    r"|paratroopers|marines|conscripts|personnel|crew(?:\s+members)?|Ukrainians|Russians"
    r"|guards?|farmers?|fisherm[ae]n|sailors?|pilots?|nurses?|teachers?|miners?|engineers?|electricians?"
    r"|priests?|shoppers|customers|patients|guests|neighbou?rs|motorists|pedestrians|elderly)"
)
# up to three modifier words that are not verbs/conjunctions
_MODS = (
    r"(?:(?!(?:and|or|but|were|was|are|is|had|have|has|been|being|in|on|at|by|from|with|after|"
    r"killed|dead|died|wounded|injured|hurt|of\s+(?:the|those|them|whom|these|us))\b)[A-Za-z][\w'’-]*\s+){0,3}?"
)
_BE = (r"(?:,\s*[^,.;]{1,40}?,\s*)?"   # "23 people, four of them children, were killed"
       r"(?:(?:were|was|are|is|have|has|had|been|got|reportedly|reported|confirmed|also|all|later|now|so\s+far|"
       r"(?:known|said|reported|believed|thought|feared|confirmed)\s+to\s+have)\s+){0,3}")
_DEATH_VERB = r"(?:killed|dead|died|perished|lost\s+their\s+lives|lost\s+his\s+life|lost\s+her\s+life|slain|executed|shot\s+dead|murdered)"
_INJ_VERB = r"(?:wounded|injured|hurt|hospitali[sz]ed|maimed)"
_N = rf"(?P<num>{_NUM_CORE})"

_DEATH_PATTERNS: list[tuple[re.Pattern, str]] = [
    # "the number of people killed ... has risen from 30 to 35", "the number of dead has reached 40"
    (re.compile(rf"\bnumber\s+of\s+(?:[A-Za-z'’-]+\s+){{0,3}}?(?:dead|killed|deaths|fatalities|victims)\b"
                rf"(?:\s+[^\s.;]+){{0,22}}?\s+(?:(?:has|have|had)\s+)?(?:risen|rose|climbed|increased|grown|jumped|"
                rf"reached|stands\s+at|stood\s+at)\s+(?:from\s+\S+\s+)?(?:to\s+)?(?:at\s+least\s+)?{_N}", re.I),
     "death_toll"),
    (re.compile(rf"\bbring(?:s|ing)?\s+the\s+(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|people\s+killed|"
                rf"fatalities|victims))\s+to\s+(?:at\s+least\s+)?{_N}", re.I), "death_toll"),
    # "death toll rose to 12", "the toll has risen to at least 20", "death toll of 12"
    (re.compile(rf"\b(?:death\s+)?toll\b(?:\s+\w+){{0,6}}?\s+(?:(?:rose|risen|rising|climbed|reached|increased|jumped|stands|stood|is|was|has|had|now|at|to|of|hit)\s+)+{_N}", re.I), "death_toll"),
    # "killed 12 people", "killing two", "killing at least five civilians"
    (re.compile(rf"\b(?:killed|killing|kills|kill)\s+{_N}(?!\s*(?:-|\s)years?(?:-|\s)old)(?:\s+{_MODS}{_PERSON})?\b", re.I), "explicit"),
    # "left 12 (people) dead"
    (re.compile(rf"\bleft\s+{_N}\s+(?:{_MODS}{_PERSON}\s+)?dead\b", re.I), "explicit"),
    # "12 people were killed", "12 dead", "12 civilians died", "two killed"
    (re.compile(rf"(?<![\w-]){_N}\s+{_MODS}(?:{_PERSON}\s*)?{_BE}{_DEATH_VERB}\b", re.I), "explicit"),
    # "12 deaths", "12 fatalities"
    (re.compile(rf"(?<![\w-]){_N}\s+{_MODS}(?:deaths|fatalities|bodies)\b", re.I), "explicit"),
    # "the bodies of 12 people", "among the 12 dead"
    (re.compile(rf"\b(?:bodies|remains)\s+of\s+{_N}\s+", re.I), "explicit"),
]
_SINGLE_DEATH = re.compile(
    rf"\b(?:killed|killing|kills|shot\s+dead)\s+(?:a|an|one)\s+(?:\d+-year-old\s+|{_MODS}){_PERSON}\b|"
    rf"(?<![\w-])(?:a|an|one)\s+(?:\d+-year-old\s+|[a-z]+-year-old\s+|{_MODS}){_PERSON}\s+{_BE}{_DEATH_VERB}\b"
    rf"|(?<![\w-])(?:a|an|one)\s+\d+-year-old(?:\s+{_PERSON})?\s+{_BE}{_DEATH_VERB}\b",
    re.I,
)
_NONE_DEATH = re.compile(
    r"\b(?:no\s+(?:one|body)\s+(?:was|were|has\s+been|had\s+been)\s+(?:killed|hurt|injured)"
    r"|nobody\s+(?:was|were|has\s+been)\s+(?:killed|hurt|injured)"
    r"|no\s+(?:casualties|deaths|fatalities|victims|dead|one\s+died|immediate\s+reports?\s+of\s+casualties)"
    r"|no\s+(?:reports?\s+of\s+)?(?:casualties|deaths|fatalities|victims)"
    r"|without\s+casualties|no\s+(?:one|body)\s+died|there\s+were\s+no\s+(?:casualties|victims|deaths)"
    r"|not\s+(?:a\s+single|one)\s+(?:person|civilian|soldier)\s+(?:was|has\s+been)\s+killed)",
    re.I,
)
_VAGUE_DEATHS = re.compile(
    rf"\b(?P<num>{_VAGUEWORD})\s+(?:of\s+)?{_MODS}(?:deaths|fatalities|dead|(?:{_PERSON})\s+{_BE}{_DEATH_VERB})\b",
    re.I,
)

_INJ_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"\b(?:wounded|wounding|injured|injuring|injures|injure|wounds)\s+{_N}(?!\s*(?:-|\s)years?(?:-|\s)old)(?:\s+{_MODS}{_PERSON})?\b", re.I), "explicit"),
    (re.compile(rf"(?<![\w-]){_N}\s+{_MODS}(?:{_PERSON}\s*)?{_BE}{_INJ_VERB}\b", re.I), "explicit"),
    (re.compile(rf"(?<![\w-]){_N}\s+(?:others|more)?\s*(?:{_PERSON}\s+)?(?:suffered|sustained|received)\s+(?:\w+\s+)?(?:injuries|wounds)\b", re.I), "explicit"),
    (re.compile(rf"(?<![\w-]){_N}\s+{_MODS}(?:injuries|injured|wounded)\b", re.I), "explicit"),
    (re.compile(rf"\bnumber\s+of\s+(?:injured|wounded)\b(?:\s+\w+){{0,4}}?\s+(?:(?:rose|risen|climbed|reached|increased|is|was|to|at)\s+)+{_N}", re.I), "explicit"),
]
_SINGLE_INJ = re.compile(
    rf"\b(?:wounded|wounding|injured|injuring)\s+(?:a|an|one)\s+(?:\d+-year-old\s+|{_MODS}){_PERSON}\b|"
    rf"(?<![\w-])(?:a|an|one)\s+(?:\d+-year-old\s+|[a-z]+-year-old\s+|{_MODS}){_PERSON}\s+{_BE}{_INJ_VERB}\b",
    re.I,
)
_NONE_INJ = re.compile(
    r"\b(?:no\s+(?:one|body)\s+(?:was|were|has\s+been)\s+(?:hurt|injured|wounded)"
    r"|nobody\s+(?:was|were|has\s+been)\s+(?:hurt|injured|wounded)|no\s+(?:injuries|casualties|injured|wounded)"
    r"|without\s+casualties"
    r"|not\s+(?:a\s+single|one)\s+(?:person|civilian|soldier)\s+(?:was|has\s+been)\s+(?:hurt|injured|wounded))",
    re.I,
)
_CASUALTY_WORD = re.compile(r"kill|dead|death|die|fatal|toll|perish|lives|slain|bod(?:y|ies)|casualt|"
                            r"wound|injur|hurt|hospital|execut|murder|shot", re.I)


_NEG_BEFORE = re.compile(r"\b(?:no|not|nor|never|how|aged|age|of)\s+$", re.I)
_YEAR_BEFORE = re.compile(r"\b(?:since|in|by|until|before|after|from)\s+$", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d\b")
_SUBSET_AFTER = re.compile(r"\s+of\s+(?:them|whom|those|the)\b", re.I)


def _negated(text: str, start: int, end: int | None = None) -> bool:
    """Numbers that are not a count of casualties: "no one was killed", "how many",
    "a child aged 9", "a man of 43", and subsets "four of them (children)"."""
    if _NEG_BEFORE.search(text[max(0, start - 8):start]):
        return True
    if _YEAR.match(text, start) and _YEAR_BEFORE.search(text[max(0, start - 8):start]):
        return True          # "no strike since 2008 has killed more": a year, not a toll
    return end is not None and bool(_SUBSET_AFTER.match(text, end))


def _collect(text: str, patterns: list[tuple[re.Pattern, str]]) -> list[tuple[int, str, int]]:
    """(value, reason, start) of every numeric mention, ignoring overlaps."""
    found: list[tuple[int, str, int]] = []
    spans: list[tuple[int, int]] = []
    for rx, reason in patterns:
        for m in rx.finditer(text):
            s, e = m.span("num")
            if any(a <= s < b for a, b in spans) or _negated(text, s, e):
                continue
            nm = parse_number_ex(m.group("num"))
            if nm is None:
                continue
            # "killed 5 and wounded 7" must not read "5 and 7" as a range: the regex
            # only allows "between X and Y" as a range, so fine.
            r = reason
            if nm.kind == "vague":
                r = nm.reason
            elif nm.kind == "range":
                r = "lowest_of_range"
            found.append((nm.value, r, s))
            spans.append((s, e))
    return found


def _summarise(kind: str, found: list[tuple[int, str, int]]) -> tuple[int, str]:
    tolls = [f for f in found if f[1] == "death_toll"]
    if tolls:
        # the latest revision of a toll wins; several tolls in one text -> lowest
        v = min(t[0] for t in tolls)
        return v, f"{kind}:death_toll"
    explicit = [f for f in found if not f[1].startswith("vague")]
    pool = explicit or found
    if len(pool) == 1:
        return pool[0][0], f"{kind}:{pool[0][1]}"
    lowest = min(pool, key=lambda f: f[0])
    return lowest[0], f"{kind}:lowest_of_reports"


def has_casualty_words(text: str) -> bool:
    """Cheap test before :func:`find_fatalities`."""
    return bool(text) and bool(_CASUALTY_WORD.search(text))


_KILLED_OR_WOUNDED = re.compile(r"\b(?:killed|dead)\s+or\s+(?:wounded|injured|hurt|missing)\b", re.I)


def find_fatalities(text: str) -> tuple[int, str] | None:
    """Number killed stated in ``text`` with a reason, or ``None`` when none is stated.

    ACLED rules: the lowest figure of a range or of several reports; a "death toll"
    figure wins over other mentions (it is the revision); vague words by convention
    ("dozens" -> 12, "some"/"several" -> 3, "many" -> 10, "hundreds" -> 100); an explicit
    statement that nobody died -> ``(0, "fatalities:none_reported")``.  Injuries and bare
    "casualties" are not deaths.  A killing with no number ("killing and wounding
    civilians") -> ``None``.
    """
    if not text or not _CASUALTY_WORD.search(text):
        return None
    if _KILLED_OR_WOUNDED.search(text):
        # "dozens killed or wounded": casualties, not a count of the dead
        text = _KILLED_OR_WOUNDED.sub("casualties", text)
    found = _collect(text, _DEATH_PATTERNS)
    for m in _SINGLE_DEATH.finditer(text):
        if _negated(text, m.start()):
            continue
        if not any(abs(m.start() - f[2]) < 3 for f in found):
            found.append((1, "single_person", m.start()))
    if not found:
        m = _VAGUE_DEATHS.search(text)
        if m and not _negated(text, m.start("num")):
            nm = parse_number_ex(m.group("num"))
            if nm is not None:
                return nm.value, f"fatalities:{nm.reason}"
        if _NONE_DEATH.search(text):
            return 0, "fatalities:none_reported"
        return None
    return _summarise("fatalities", found)


def find_injuries(text: str) -> tuple[int, str] | None:
    """Number injured/wounded stated in ``text`` with a reason (same conventions)."""
    if not text or not _CASUALTY_WORD.search(text):
        return None
    found = _collect(text, _INJ_PATTERNS)
    for m in _SINGLE_INJ.finditer(text):
        if _negated(text, m.start()):
            continue
        if not any(abs(m.start() - f[2]) < 3 for f in found):
            found.append((1, "single_person", m.start()))
    if not found:
        if _NONE_INJ.search(text):
            return 0, "injuries:none_reported"
        return None
    return _summarise("injuries", found)


_DISTRIBUTED = re.compile(rf"(?<![\w-]){_N}\s+(?:each\s+)?(?:(?:people|civilians|residents|soldiers|servicemen)\s+)?"
                          r"(?:were\s+killed\s+)?in\s+(?:the\s+(?:town|city|village)\s+of\s+)?", re.I)


def count_at_place(text: str, place_start: int) -> int | None:
    """The share of a toll a sentence gives one place when it spreads the toll over several:
    "killed seven civilians: three in Sloviansk, two in Marinka, and one each in Halytsynivka and
    Vodiane" gives 3 at Sloviansk and 1 at Vodiane.  None unless the sentence names two or more
    shares and one of them stands before the place (in the same list)."""
    shares = [m for m in _DISTRIBUTED.finditer(text) if parse_number_ex(m.group("num")) is not None]
    if len(shares) < 2:
        return None
    before = [m for m in shares if m.end() <= place_start]
    if not before:
        return None
    m = before[-1]
    between = text[m.end():place_start]
    if len(between) > 60 or re.search(r"[;:—–]|\bwhile\b|\bwhereas\b", between):
        return None
    value = parse_number_ex(m.group("num"))
    return int(value.value) if value is not None else None

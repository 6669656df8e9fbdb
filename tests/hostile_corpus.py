"""A corpus of hostile and broken input files, written by the tests into a temporary folder (never
committed): each with the coded problems it must give and the good reports in it that must
still come out.  Used by tests/unit/test_hostile_files.py (reading) and
tests/e2e/test_hostile_run.py (``frontlines run`` on the whole folder)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

GOOD = ("KYIV (Reuters) - Russian forces shelled the town of Izium on Monday, killing two civilians and "
        "wounding five others, the regional governor said in a statement.")
DATE = "2022-09-12"


@dataclass
class Case:
    name: str                 # file name (its extension picks the reader)
    data: bytes
    codes: list[str]          # the coded problems expected, in order
    good: int                 # good reports in it that must come out
    what: str                 # the class of fault, for the report table


def _laughs(prolog: str = "") -> str:
    ents = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'
                                      for i in range(1, 10)]
    return (f'<?xml version="1.0"?>\n{prolog}<!DOCTYPE rss [\n' + "\n".join(ents) + "\n]>\n"
            f'<rss version="2.0"><channel><title>t</title><item><title>&lol9;</title>'
            f"<description>{GOOD}</description><pubDate>Mon, 12 Sep 2022 10:00:00 GMT</pubDate></item></channel></rss>")


def _xxe(target: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>\n'
            f'<rss version="2.0"><channel><title>t</title><item><title>&xxe;</title><description>{GOOD} &xxe;'
            "</description><pubDate>Mon, 12 Sep 2022 10:00:00 GMT</pubDate></item></channel></rss>")


def _jsonl(*texts: str) -> str:
    return "".join(json.dumps({"text": t, "date": DATE}) + "\n" for t in texts)


def cases(line_mb: int = 50) -> list[Case]:
    big_line = json.dumps({"text": "x " * (line_mb * 500_000), "date": DATE})
    return [
        Case("nested.html", ("<html><body>" + "<div>" * 100_000 + f"<p>{GOOD}</p>" + "</div>" * 10
                             + "</body></html>").encode(), ["E109"], 0, "deeply nested HTML (100,000 levels)"),
        Case("unclosed.html", (f"<html><head><title>Izium</title><meta name='date' content='{DATE}'><body><p>"
                               + GOOD + "<p><b><i><table><tr><td>" * 5000).encode(), [], 1,
             "unclosed HTML (20,000 open tags)"),
        Case("allscript.html", ("<html><head><script>" + "var a=1;" * 20_000 + "</script></head><body><script>"
                                + "document.write('<p>' + 'shelled ' * 50);" * 500 + "</script></body></html>").encode(),
             ["E109"], 0, "an HTML page that is all script"),
        Case("laughs.rss", _laughs().encode(), ["E115"], 0, "billion laughs (entity expansion) in RSS"),
        Case("laughs-late.xml", _laughs("<!--" + "x" * 6000 + "-->\n").encode(), ["E115"], 0,
             "billion laughs after a 6,000-character comment"),
        Case("xxe.rss", _xxe("file:///etc/passwd").encode(), ["E115"], 0, "external entity (file) in RSS"),
        Case("xxe-net.atom", (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
                              f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&x;</title><summary>{GOOD}'
                              f"</summary><updated>{DATE}T10:00:00Z</updated></entry></feed>").encode(), ["E115"], 0,
             "external entity (network) in Atom"),
        Case("long-line.jsonl", (_jsonl(GOOD + " First.") + big_line + "\n" + _jsonl(GOOD + " Third.")).encode(),
             ["E114"], 2, f"a single line of {line_mb} MB in JSONL"),
        Case("nul.txt", f"date {DATE} t\n{GOOD}".encode() + b"\x00" * 64 + GOOD.encode(), ["E102"], 0,
             "NUL bytes in a text file"),
        Case("nul-line.jsonl", _jsonl(GOOD + " One.").encode() + b'{"text": "\x00\x00\x00\x00"}\n'
             + _jsonl(GOOD + " Three.").encode(), ["E107"], 2, "NUL bytes in one JSONL line"),
        Case("lying-utf8.html", (f'<html><head><meta charset="utf-8"><title>Izium</title>'
                                 f"<meta name='date' content='{DATE}'></head><body><article><p>{GOOD} "
                                 "Café naïve — “quoted”.</p></article></body></html>").encode("cp1252"), [], 1,
             "declared UTF-8, actually cp1252"),
        Case("lying-1251.html", (f'<html><head><meta charset="windows-1251"><title>Izium</title>'
                                 f"<meta name='date' content='{DATE}'></head><body><article><p>{GOOD} "
                                 "Café — ok.</p></article></body></html>").encode("utf-8"), [], 1,
             "declared windows-1251, actually UTF-8"),
        Case("mixed.txt", f"date {DATE} Mixed\n{GOOD} Café Zelensky’s".encode("utf-8")
             + " naïve “quote”".encode("cp1252"), [], 1, "UTF-8 and cp1252 in one file"),
        Case("koi8.txt", ("Російські війська обстріляли Харків у вівторок. " * 5).encode("koi8_u"), ["E103"], 0,
             "a Cyrillic encoding with no declaration"),
        Case("rtl-controls.txt", (f"date {DATE} RTL\n{GOOD} \u202eevil\u202c \u200f\u061c \x1b[31mred\x1b[0m"
                                  " \x1b]0;owned\x07 \x08\x7f \u0627\u0644\u0639\u0631\u0628\u064a\u0629").encode(),
             [], 1, "right-to-left marks, ANSI escapes and control characters"),
        Case("arabic.txt", (f"date {DATE} x\n" + "قصفت القوات الروسية مدينة إيزيوم يوم الاثنين. " * 10).encode(),
             ["E108"], 0, "a right-to-left (Arabic) report"),
        Case("broken.csv", ("text,date\n" + "\n".join(
            [f'"{GOOD} Row 0.",{DATE}', f'"unclosed {GOOD},{DATE}', f'"{GOOD} Row 2.",{DATE}',
             f'"{GOOD} stray" quote,{DATE}', f'"{GOOD} Row 4.",{DATE}', f'{GOOD} Row 5.,{DATE},extra']) + "\n").encode(),
             ["E107", "E107", "E107"], 3, "CSV with broken quoting"),
        Case("binary.txt", b"%PDF-1.7\n" + bytes(range(256)) * 20, ["E102"], 0, "a binary file named .txt"),
        Case("empty.jsonl", b"\xef\xbb\xbf\n\n", ["E101"], 0, "an empty JSONL (a byte-order mark alone)"),
    ]


def write(folder: Path, line_mb: int = 50) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    out = cases(line_mb)
    for case in out:
        (folder / case.name).write_bytes(case.data)
    return out

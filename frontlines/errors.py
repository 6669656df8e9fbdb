"""Coded errors, in the manner of spaCy: every message a user may meet has a stable code.

E1xx ingest, E2xx nlp/model, E3xx geo/gazetteer, E4xx time, E5xx store, E6xx export/CLI,
E7xx coding one article (the batch goes on without it).
"""
from __future__ import annotations


class Errors:
    E101 = "{origin}: the file is empty."
    E102 = "{origin}: this looks like a binary file, not text, HTML or JSON."
    E103 = "{origin}: the text is not valid UTF-8 and no other encoding fitted it well."
    E104 = "{origin}: the file is {size} bytes, over the limit of {limit} bytes (see --max-bytes)."
    E105 = ("{origin}: no publication date. Give one on the first line as 'date YYYY-MM-DD <headline>', "
            "in a 'date' field, or with --date YYYY-MM-DD.")
    E106 = "{origin}: the date {value!r} is not a date in the form YYYY-MM-DD."
    E107 = "{origin}: malformed record: {detail}"
    E108 = "{origin}: the text is not in English (detected: {lang}); frontlines codes English reports only."
    E109 = "{origin}: no article text could be extracted from the HTML page."
    E110 = "{origin}: no such file or directory."
    E111 = "{origin}: the pattern matched no file."
    E112 = "{origin}: the article has no text after its header."
    E113 = "{origin}: the file could not be read ({detail})."
    E114 = ("{origin}: the record is over {limit} bytes (see --max-bytes) and was skipped; "
            "the records after it are read.")
    E115 = ("{origin}: the feed declares entities or a DTD of its own ({detail}); such feeds are not read, "
            "since entity expansion and external entities are how XML attacks work.")
    E201 = "The spaCy model {name!r} is not installed. Run the README's setup command (it installs {package!r})."
    E301 = "The gazetteer index at {path} is missing or damaged; rebuild it with `frontlines gazetteer build`."
    E501 = "{path}: not a frontlines database (missing table {table!r})."
    E502 = "No event with id {event_id!r} in {path}."
    E503 = "{path}: not an SQLite database file ({detail})."
    E504 = ("{path}: the database has schema version {found}, but this frontlines reads version {expected}; "
            "upgrade frontlines or start a new database.")
    E505 = "{path}: could not write to the database ({detail}); nothing of article {article_id!r} was stored."
    E601 = "Unknown export format {fmt!r}; choose one of: {choices}."
    E701 = ("{origin}: article {article_id} took longer than the time budget of {seconds:g}s "
            "(see --article-seconds) and was skipped; nothing of it was stored.")
    E702 = "{origin}: article {article_id} could not be coded ({detail}); nothing of it was stored."


class FrontlinesError(Exception):
    """Base class: carries a code such as 'E105' so callers and tests can match on it."""

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        template = getattr(Errors, code)
        self.detail = template.format(**kwargs)
        super().__init__(f"[{code}] {self.detail}")


class IngestError(FrontlinesError):
    pass


class GazetteerError(FrontlinesError):
    pass


class StoreError(FrontlinesError):
    pass

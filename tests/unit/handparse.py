"""A hand-built stand-in for a parsed spaCy sentence, for unit tests that need no model.

``HandParsedDoc(rows, ents)`` takes rows of ``(word, pos, dep, head[, glued])`` (``glued``:
no space after the word, so "Al", "-", "Assad" spell "Al-Assad") and entities as token
``(start, end, label)``; its tokens carry the attributes the event-location code reads."""
from __future__ import annotations


class _Tok:
    def __init__(self, doc, i):
        self.doc, self.i = doc, i

    text = property(lambda self: self.doc._words[self.i])
    lower_ = property(lambda self: self.text.lower())
    idx = property(lambda self: self.doc._idx[self.i])
    pos_ = property(lambda self: self.doc._pos[self.i])
    tag_ = property(lambda self: "")
    dep_ = property(lambda self: self.doc._deps[self.i])
    head = property(lambda self: self.doc[self.doc._heads[self.i]])
    is_space = property(lambda self: self.text.isspace())

    @property
    def ent_type_(self):
        return next((lab for s, e, lab in self.doc._ents if s <= self.i < e), "")

    @property
    def children(self):
        return [t for t in self.doc if t.head.i == self.i and t.i != self.i]

    @property
    def lefts(self):
        return [t for t in self.children if t.i < self.i]

    @property
    def subtree(self):
        out = [self]
        for c in self.children:
            out.extend(c.subtree)
        return sorted(out, key=lambda t: t.i)

    def __len__(self):
        return len(self.text)

    def __eq__(self, other):
        return isinstance(other, _Tok) and other.i == self.i

    def __hash__(self):
        return self.i


class _Ent:
    def __init__(self, doc, s, e, label):
        self.start, self.end, self.label_ = s, e, label
        self.start_char = doc[s].idx
        self.end_char = doc[e - 1].idx + len(doc[e - 1].text)


class HandParsedDoc:
    """A parsed sentence built by hand (see the module docstring)."""

    def __init__(self, rows, ents=()):
        self._words = [r[0] for r in rows]
        self._pos = [r[1] for r in rows]
        self._deps = [r[2] for r in rows]
        self._heads = [r[3] for r in rows]
        self._idx, text = [], ""
        for r in rows:
            self._idx.append(len(text))
            text += r[0] + ("" if len(r) > 4 and r[4] else " ")
        self.text = text.rstrip(" ")
        self._ents = list(ents)
        self.ents = [_Ent(self, s, e, lab) for s, e, lab in ents]

    def __len__(self):
        return len(self._words)

    def __iter__(self):
        return (_Tok(self, i) for i in range(len(self)))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [_Tok(self, j) for j in range(*i.indices(len(self)))]
        return _Tok(self, i)

    def char(self, word, nth=0):
        """Character offsets of the ``nth`` occurrence of ``word``."""
        k = [i for i, w in enumerate(self._words) if w == word][nth]
        return self._idx[k], self._idx[k] + len(word)

"""Which existing item typed text means, and when it means a new one: the linker's ranking.

A facilitator types while people talk ("advance payment amount", "geboortedatum",
"custmer number", "points bal") and presses Enter.  The linker must then link the
attribute they meant, or create a new one; it must never link an attribute that
merely shares a word with the text.  So every candidate gets a *strength* from
how well the typed words and the candidate's words cover each other:

* each typed word is found in the candidate's words: the same word (1.0), the start
  of one ("bal" of "balance", 0.9), a common abbreviation or the letters of one in
  order ("nr", "mgr", 0.8), or a typo (rapidfuzz ratio of at least 75 on words of
  four letters or more: "custmer", "emial");
* *query coverage* is the mean over the typed words (function words such as "of",
  "van", "der", "de" left out), *term coverage* the share of the candidate's words
  that were typed; the score is ``100 * query coverage * (0.8 + 0.2 * term coverage)``;
* the text written without spaces equal to a term written without spaces
  ("e-mailadres", "wish list") scores 100; nearly equal (ratio >= 88, a typo in one
  long word: "geboortedatm") scores the ratio.

A match is **strong** when the same spelling is typed (exact or near-exact), or
when *every* typed word is found among the words of the candidate's name, id and
synonyms.  "advance payment amount" finds only "payment" in "Payment method": one
word of three, so it is weak and "+ create" comes first.  "points bal" finds both
words in "Points balance": strong, so it is linked.

An attribute also answers to the spellings of the reference catalog entry it is
(same id, or its name or a synonym is one of the entry's names): "geboortedatum",
"Geburtsdatum" and "date de naissance" all mean the workshop's ``date_of_birth``.
The catalog's column spellings are many and short ("ref", "uuid"), so through them
a match is strong only when the spelling is typed (exactly or nearly) or when the
typed words and the spelling's words cover each other completely.

Nothing here knows about a user interface: the terminal UI's picker asks
:meth:`LinkIndex.decide`, and so can the command line or Python.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from needsmap.catalog import entries as catalog_entries
from needsmap.catalog.foreign_words import english_readings
from needsmap.catalog.name_tokens import name_tokens

#: Words left out of coverage (English, Dutch, German, French), unless nothing else is typed.
FUNCTION_WORDS = frozenset(
    "a an and at by for in of on per the to s "
    "de den der des die das dem du d el en et het l la le les op te un une van voor von vom im zu zum".split()
)
#: Abbreviations that are not the start of the word they stand for.
ABBREVIATIONS: Mapping[str, str] = {"no": "number", "nr": "number", "nbr": "number", "tel": "telephone"}
#: A typed word this close to a word of a term (rapidfuzz ratio) is taken as a typo of it.
TYPO_RATIO = 75.0
#: Text written without spaces this close to a term written without spaces is nearly the same spelling.
NEAR_EXACT_RATIO = 88.0


def nearly_spelled(typed: str, term: str) -> bool:
    """Whether ``typed`` (written without spaces) is ``term`` with a typo or another ending.

    A typo is one edit (a letter left out, added or changed), two from nine letters on: "geboortedatm" is
    "geboortedatum".  Another ending is a difference in the last three letters only ("favouritecategory",
    "favouritecategories").  Letters added inside make another word: "mailingaddress" is not "mailaddress".
    """
    edits = 1 if len(typed) <= 8 else 2
    if Levenshtein.distance(typed, term) <= edits:
        return True
    stem = len(os.path.commonprefix((typed, term)))
    return min(len(typed), len(term)) >= 8 and stem >= max(len(typed), len(term)) - 3


#: A match found through the English reading of foreign words scores this share of the same match typed in English.
TRANSLATED = 0.97
#: A typed word must match a word at least this well to count as found.
FOUND = 0.75

NAME, ID, SYNONYM, CATALOG = "name", "id", "synonym", "catalog"
_KIND_BONUS = {NAME: 0.3, ID: 0.2, SYNONYM: 0.1, CATALOG: 0.0}


@functools.lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the linker compares them: a lone letter joined to the next ("e mail" -> email)."""
    raw = name_tokens(text)
    out: list[str] = []
    carry = ""
    for token in raw:
        if len(token) == 1 and token.isalpha() and token not in FUNCTION_WORDS:
            carry += token
            continue
        out.append(carry + token)
        carry = ""
    if carry:
        out.append(carry)
    return tuple(out)


def _content(ws: tuple[str, ...]) -> tuple[str, ...]:
    kept = tuple(w for w in ws if w not in FUNCTION_WORDS)
    return kept or ws


def word_match(typed: str, word: str) -> float:
    """How well one typed word matches one word of a term (0..1)."""
    if typed == word:
        return 1.0
    if len(typed) >= 2 and word.startswith(typed) and (len(typed) >= 3 or typed.isdigit()):
        return 0.9
    if ABBREVIATIONS.get(typed) == word:
        return 0.8
    if len(typed) >= 2 and typed[0] == word[0] and len(typed) < len(word) and _in_order(typed, word):
        return 0.8
    if len(typed) >= 4 and len(word) >= 3:
        ratio = fuzz.ratio(typed, word)
        if ratio >= TYPO_RATIO:
            return 0.95 * ratio / 100
    return 0.0


def _in_order(letters: str, word: str) -> bool:
    it = iter(word)
    return all(ch in it for ch in letters)


@dataclass(frozen=True, slots=True)
class _Term:
    owner: str
    text: str
    kind: str
    words: tuple[str, ...]
    compact: str


@dataclass(frozen=True, slots=True)
class Strength:
    """How strongly typed text means one candidate."""

    id: str
    score: float  # 0..100 (a little more for the same score on a name than on a synonym)
    strong: bool
    via: str = ""  # the term that matched, when not the name or id
    kind: str = NAME
    found: int = 0  # how many typed words the term has


@dataclass(frozen=True, slots=True)
class Decision:
    """What the linker offers for typed text: the strong matches first, or "+ create" first."""

    ranked: list[Strength]
    #: the catalog entry the text names exactly, when no attribute of the workshop is that entry
    catalog_entry: catalog_entries.CatalogEntry | None = None
    #: the catalog entry the text names exactly, when an attribute of the workshop is that entry: its id
    catalog_in_workshop: str | None = None

    @property
    def strong(self) -> list[Strength]:
        return [s for s in self.ranked if s.strong]

    @property
    def create_first(self) -> bool:
        """True unless an existing item strongly matches (then that one comes first)."""
        return not self.strong

    @property
    def offer_create(self) -> bool:
        """False when the text is the catalog spelling of an attribute the workshop already has."""
        return self.catalog_in_workshop is None

    @property
    def top(self) -> str | None:
        """The id an Enter on the first row links, or None for "+ create"."""
        strong = self.strong
        return strong[0].id if strong else None


@dataclass(frozen=True, slots=True)
class Named:
    """An item the linker can link to: its id, name and other names."""

    id: str
    name: str = ""
    synonyms: tuple[str, ...] = ()
    catalog: tuple[str, ...] = field(default=())  # the catalog spellings of the entry it is


def _term(owner: str, text: str, kind: str) -> _Term | None:
    all_words = words(text)
    ws = _content(all_words)
    if not ws:
        return None
    return _Term(owner, text, kind, ws, "".join(all_words))


class LinkIndex:
    """Items prepared for :meth:`decide` (their terms split into words once)."""

    def __init__(self, items: Iterable[Named]) -> None:
        self.terms: list[_Term] = []
        self.own: dict[str, set[str]] = {}  # an item's words in its name, id and synonyms
        self.by_compact: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}  # a word -> the terms that have it
        for item in items:
            own: set[str] = set()
            for text, kind in (
                (item.name, NAME),
                (item.id, ID),
                *((s, SYNONYM) for s in item.synonyms),
                *((c, CATALOG) for c in item.catalog),
            ):
                term = _term(item.id, text, kind) if text else None
                if term is None:
                    continue
                if kind != CATALOG:
                    own.update(term.words)
                self.by_compact.setdefault(term.compact, []).append(len(self.terms))
                for w in set(term.words):
                    self.by_word.setdefault(w, []).append(len(self.terms))
                self.terms.append(term)
            self.own[item.id] = own
        self.vocabulary = list(self.by_word)
        self.known = frozenset(self.by_word)
        self.by_first: dict[str, list[str]] = {}
        for w in self.vocabulary:
            self.by_first.setdefault(w[:1], []).append(w)
        self.compacts = list(self.by_compact)

    def _word_scores(self, typed: str) -> dict[str, float]:
        """The words of the index that a typed word matches at all, with how well (:func:`word_match`).

        Only words that start alike, abbreviations and rapidfuzz's typo candidates are compared one by one.
        """
        alike = set(self.by_first.get(typed[:1], ()))
        if typed in ABBREVIATIONS:
            alike.add(ABBREVIATIONS[typed])
        if len(typed) >= 4:
            alike.update(
                w
                for w, _, _ in process.extract(
                    typed, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_RATIO, limit=None
                )
            )
        return {w: score for w in alike if w in self.by_word and (score := word_match(typed, w)) > 0}

    def rank(self, query: str) -> list[Strength]:
        """Every item the text matches at all, strongest first: as typed, and as read in English when it has
        Dutch, German or French words (:mod:`needsmap.catalog.foreign_words`), the best of both per item."""
        typed_all = words(query)
        best = {s.id: s for s in self._rank_words(typed_all)}
        for reading in english_readings(typed_all, self.known):
            for s in self._rank_words(reading):
                s = replace(s, score=s.score * TRANSLATED, via=s.via or " ".join(reading))
                old = best.get(s.id)
                if old is None or (s.strong, s.score) > (old.strong, old.score):
                    best[s.id] = s
        return sorted(best.values(), key=lambda s: (not s.strong, -s.score, s.id))

    def _rank_words(self, typed_all: tuple[str, ...]) -> list[Strength]:
        typed = _content(typed_all)
        if not typed:
            return []
        compact = "".join(typed_all)
        scores = {w: self._word_scores(w) for w in set(typed)}
        near: dict[str, float] = {}
        if len(compact) >= 5:
            near = {
                c: ratio
                for c, ratio, _ in process.extract(
                    compact, self.compacts, scorer=fuzz.ratio, score_cutoff=NEAR_EXACT_RATIO, limit=None
                )
                if nearly_spelled(compact, c)
            }
        wanted: set[int] = set(self.by_compact.get(compact, ()))
        for c in near:
            wanted.update(self.by_compact[c])
        for found_words in scores.values():
            for w in found_words:
                wanted.update(self.by_word[w])
        best: dict[str, Strength] = {}
        for t in sorted(wanted):
            term = self.terms[t]
            found = self._score(typed, compact, term, scores, near.get(term.compact, 0.0))
            if found is None:
                continue
            old = best.get(term.owner)
            if old is None or (found.strong, found.score) > (old.strong, old.score):
                best[term.owner] = found
        # every typed word among the words of the item's own names together, two thirds of them in one:
        # "interior style preference" is in "Interior style" and style_preference
        for owner, own in self.own.items():
            old = best.get(owner)
            if old is None or old.strong or not own or old.found * 3 < 2 * len(typed):
                continue
            matched = [max((scores[w].get(o, 0.0) for o in own), default=0.0) for w in typed]
            if min(matched) >= FOUND:
                score = 100 * sum(matched) / len(matched) * 0.8
                best[owner] = Strength(owner, max(score, old.score), True, old.via, old.kind, old.found)
        return sorted(best.values(), key=lambda s: (not s.strong, -s.score, s.id))

    def _score(
        self,
        typed: tuple[str, ...],
        compact: str,
        term: _Term,
        scores: Mapping[str, Mapping[str, float]],
        near: float,
    ) -> Strength | None:
        bonus = _KIND_BONUS[term.kind]
        via = term.text if term.kind in (SYNONYM, CATALOG) else ""
        if compact == term.compact:
            return Strength(term.owner, 100 + bonus, True, via, term.kind, len(typed))
        matched: list[float] = []
        used: set[int] = set()
        for w in typed:
            of_w = scores[w]
            score, at = max(((of_w.get(t, 0.0), i) for i, t in enumerate(term.words)), default=(0.0, -1))
            matched.append(score)
            if score >= FOUND:
                used.add(at)
        query_cov = sum(matched) / len(matched)
        term_cov = len(used) / len(term.words)
        score = 100 * query_cov * (0.8 + 0.2 * term_cov)
        every_word = min(matched) >= FOUND
        if near >= NEAR_EXACT_RATIO:
            return Strength(term.owner, max(score, near) + bonus, True, via, term.kind, len(typed))
        if score <= 0:
            return None
        if term.kind == CATALOG:
            strong = every_word and len(used) == len(term.words)
        else:
            strong = every_word
        found = sum(1 for x in matched if x >= FOUND)
        return Strength(term.owner, score + bonus, strong, via, term.kind, found)

    def decide(self, query: str) -> Decision:
        """The ranking of ``query`` and whether "+ create" comes first."""
        return Decision(self.rank(query))


# -- attributes and the reference catalog ---------------------------------------------------------
def catalog_entries_of(
    attributes: Sequence, catalog: catalog_entries.Catalog | None = None
) -> dict[str, catalog_entries.CatalogEntry]:
    """The catalog entry each attribute is, by id: the same id, else its name, else a synonym naming the entry.

    An entry belongs to one attribute at most (the one with the same id, else the first whose name names it).
    """
    catalog = catalog or catalog_entries.load_catalog()
    names: dict[str, list[catalog_entries.CatalogEntry]] = {}
    for entry in catalog:
        for n in {"".join(words(x)) for x in (entry.name, *entry.synonyms)}:
            names.setdefault(n, []).append(entry)
    claims: list[tuple[int, int, str, catalog_entries.CatalogEntry]] = []
    for order, a in enumerate(attributes):
        entry = catalog.get(a.id)
        if entry is not None:
            claims.append((0, order, a.id, entry))
        for rank, texts in ((1, [a.name or ""]), (2, list(a.synonyms))):
            for text in texts:
                for entry in names.get("".join(words(text)), []) if text else []:
                    claims.append((rank, order, a.id, entry))
    out: dict[str, catalog_entries.CatalogEntry] = {}
    taken: set[str] = set()
    for _rank, _order, attr, entry in sorted(claims, key=lambda c: (c[0], c[1])):
        if attr in out or entry.id in taken:
            continue
        out[attr] = entry
        taken.add(entry.id)
    return out


class AttributeLinkIndex(LinkIndex):
    """:class:`LinkIndex` over a workshop's attributes, each also known by its catalog entry's spellings."""

    def __init__(
        self, attributes: Sequence, catalog: catalog_entries.Catalog | None = None, extra: Iterable[Named] = ()
    ) -> None:
        self.catalog = catalog or catalog_entries.load_catalog()
        self.entry_of = catalog_entries_of(attributes, self.catalog)
        self.attribute_of = {e.id: a for a, e in self.entry_of.items()}
        super().__init__(
            [
                Named(
                    a.id,
                    a.name or "",
                    tuple(a.synonyms),
                    e.names[1:] if (e := self.entry_of.get(a.id)) is not None else (),
                )
                for a in attributes
            ]
            + list(extra)
        )

    def decide(self, query: str) -> Decision:
        ranked = self.rank(query)
        entry = catalog_spelled(query, self.catalog)
        if entry is None:
            return Decision(ranked)
        here = self.attribute_of.get(entry.id)
        if here is None:
            return Decision(ranked, catalog_entry=entry)
        own = [s for s in ranked if s.kind != CATALOG and s.score >= 100]
        if own and own[0].id != here:
            # the workshop's own words name another attribute exactly ("Account number"): they win
            return Decision(ranked, catalog_in_workshop=own[0].id)
        # the text is a catalog spelling of an attribute the workshop has: that one, first
        ranked = [s for s in ranked if s.id != here]
        return Decision([Strength(here, 100.0, True, entry.name, CATALOG), *ranked], catalog_in_workshop=here)


@functools.lru_cache(maxsize=4)
def _catalog_spellings(catalog: catalog_entries.Catalog) -> dict[str, catalog_entries.CatalogEntry]:
    out: dict[str, catalog_entries.CatalogEntry] = {}
    for entry in catalog:
        for name in (*entry.names, entry.schema_org or ""):
            out.setdefault("".join(words(name)), entry)
    out.pop("", None)
    return out


def catalog_spelled(text: str, catalog: catalog_entries.Catalog | None = None) -> catalog_entries.CatalogEntry | None:
    """The catalog entry one of whose names or spellings ``text`` is (case, separators and accents aside), or None.

    The same answer as a score of 100 in :func:`needsmap.catalog.entries.search`, from a lookup.
    """
    return _catalog_spellings(catalog or catalog_entries.load_catalog()).get("".join(words(text)))


def attribute_index(workshop, catalog: catalog_entries.Catalog | None = None) -> AttributeLinkIndex:
    """The linker's index of a workshop's attributes."""
    return AttributeLinkIndex(list(workshop.attributes), catalog)

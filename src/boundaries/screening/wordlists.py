"""Word lists matched whole-word over the ``plain`` view, for the language detectors.

The offensive, harassment and sexual detectors all ask the same question: which words and
phrases of a list does this post contain, however they were disguised? Matching whole tokens
(a dict look-up per token) rules out the Scunthorpe problem by construction ("class",
"Scunthorpe", "cocktail" are tokens that are simply not in a list). Measured on a 263-character
post against the eight lists (1,645 keys): a regex alternation took 162 µs, pyahocorasick with
word-boundary checks 8 µs, these look-ups 42 µs. The automaton is faster at bare matching, but
the detectors need the tokens anyway (targets, clause breaks, capitals), and the look-ups also
see through what the ``plain`` view does not undo: letters stretched out ("fuuuuck"), letters
masked ("f**k", "c*nt"), a "!" that ``plain`` read as an "i" at the end of a word ("hell!" ->
"helli"), and "@" mentions.

List files (``lexicons/NAME.txt``), one entry a line:

* ``# ...`` is a comment, anywhere on a line;
* ``[tag]`` tags the entries that follow (e.g. ``[strongest]``, ``[disability]``);
* ``- phrase`` is an exception: where it occurs, no entry matches inside it ("bloody nose");
* anything else is a word or phrase; ``{a,b}`` gives alternatives, ``{,s,ed}`` optional
  endings: ``fuck{,s,ed,ing}``, ``{i'll,i will,gonna} make you regret``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import NamedTuple

from boundaries.screening.lexicon_files import expand, lexicon_text
from boundaries.screening.normalise import Document

# A word of the plain view: letters and digits, with inner apostrophes ("you're") and the
# characters people use to mask letters ("f**k", "sh#t").
_TOKEN = re.compile(r"(?:[^\W_]|[*#%])+(?:['’](?:[^\W_]|[*#%])+)*")
_MASK = "*#%"
_BREAK = re.compile(r"[.!?;:\n]|\s[-–—]\s")  # ends a clause between two tokens
_RUN = re.compile(r"([a-z])\1\1+")  # a letter three or more times: "fuuuck"


class Token(NamedTuple):
    """A word of ``doc.plain``: ``start``/``end`` are plain-view offsets."""

    word: str  # lower case, "’" read as "'", a trailing "!" read as "i" undone, "@" dropped
    start: int
    end: int
    mention: bool  # written as "@name"
    capital: bool  # its first letter is a capital in the original text
    brk: bool  # a sentence or clause ends between the previous token and this one
    comma: bool  # a comma (or other soft break) stands between the previous token and this one
    quoted: bool  # a quotation mark stands right before it
    odd: bool  # masked, stretched or an @mention: look it up the slow way


def tokens(doc: Document) -> tuple[Token, ...]:
    """The words of ``doc.plain``, computed once per document (the three language detectors
    share them)."""
    return doc.shared(_tokenise)


def _tokenise(doc: Document) -> tuple[Token, ...]:
    view = doc.plain
    text = view.text
    orig = doc.original
    # plain always carries its map back to the original text.
    starts: Sequence[int] = view.starts or range(len(text))
    ends: Sequence[int] = view.ends or range(1, len(text) + 1)
    # Whole-text checks first, so the usual post skips the per-word ones.
    has_mask = any(c in text for c in _MASK)
    has_bang = "!" in orig or "|" in orig
    has_at = "@" in orig
    runs = [m.start() for m in _RUN.finditer(text)]
    out: list[Token] = []
    append = out.append
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a third of the per-word cost.
    new = tuple.__new__
    brk_search = _BREAK.search
    prev_end = 0
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        word = m.group()
        if has_mask:  # masks that open a word are emphasis ("*so*"), not a masked letter
            while word and word[0] in _MASK:
                word, s = word[1:], s + 1
        if has_bang:  # a "!" that plain read as "i" at the end of a word
            while e - s > 1 and orig[starts[e - 1]] in "!|":
                word, e = word[:-1], e - 1
        alpha = word.isalpha()
        if not alpha and not any(c.isalnum() for c in word):
            continue
        o_start = starts[s]
        mention = has_at and orig[o_start] == "@" and len(word) > 1
        if mention:
            word = word[1:]
        if "’" in word:
            word = word.replace("’", "'")
        if not out:
            brk, comma, quoted = True, False, False
        elif o_start - prev_end == 1 and orig[prev_end] == " ":
            brk = comma = quoted = False
        else:
            gap = orig[prev_end:o_start]
            brk = brk_search(gap) is not None
            comma = "," in gap or "(" in gap or ")" in gap
            quoted = any(q in gap for q in "\"'“”‘’")
        odd = mention or (has_mask and not alpha and any(c in _MASK for c in word))
        if runs and not odd:
            odd = any(s <= r < e for r in runs)
        capital = orig[o_start + mention].isupper()
        append(new(Token, (word, s, e, mention, capital, brk, comma, quoted, odd)))
        prev_end = ends[e - 1]
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Entry:
    term: str  # the entry as written in the list (after expansion)
    tag: str  # the first section it is listed under
    tags: frozenset[str]  # every section it is listed under ("race" and "ambiguous")


class Match(NamedTuple):
    """Tokens ``i`` to ``j`` (exclusive) matched ``entry``; ``how`` says if it was disguised."""

    i: int
    j: int
    entry: Entry
    how: str = ""  # "", "masked" or "stretched"


class Lexicon:
    """A word list compiled for whole-token matching."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.words: dict[str, Entry] = {}
        # first word -> [(length, {words: entry})], longest first
        self.phrases: dict[str, list[tuple[int, dict[tuple[str, ...], Entry]]]] = {}
        # Exceptions are filed under the listed word they protect ("bloody" in "bloody nose"),
        # so that a post's "the"s and "a"s do not each start a search.
        # anchor word -> (its position in the phrase, phrase length) -> phrases
        self.exceptions: dict[str, dict[tuple[int, int], set[tuple[str, ...]]]] = {}
        exceptions: list[tuple[str, ...]] = []
        tagged: dict[str, list[str]] = {}  # phrase -> its sections, first one first
        tag = ""
        for raw in lines:
            line = raw.split("#", 1)[0].strip().lower().replace("’", "'")
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                tag = line[1:-1].strip()
                continue
            exception = line.startswith("- ")
            # Hyphens split words in the text ("half-caste" is two tokens), so in lists too.
            line = line[2:].replace("-", " ") if exception else line.replace("-", " ")
            if exception:
                for phrase in expand(line):
                    words = tuple(phrase.split())
                    if words:
                        exceptions.append(words)
                continue
            for phrase in expand(line):
                if not phrase:
                    continue
                tags = tagged.setdefault(phrase, [])
                if tag not in tags:
                    tags.append(tag)
        by_first: dict[str, dict[int, dict[tuple[str, ...], Entry]]] = {}
        for phrase, tags in tagged.items():
            words = tuple(phrase.split())
            entry = Entry(phrase, tags[0], frozenset(tags))
            if len(words) == 1:
                self.words[words[0]] = entry
            else:
                by_length = by_first.setdefault(words[0], {})
                by_length.setdefault(len(words), {})[words] = entry
        for first, by_length in by_first.items():
            self.phrases[first] = sorted(by_length.items(), reverse=True)
        # Phrases are found by their first two words, so that a post's "the"s and "a"s, which
        # open many phrases, are not each looked at: one set intersection finds the pairs.
        self._pairs: frozenset[tuple[str, str]] = frozenset(
            (words[0], words[1])
            for options in self.phrases.values()
            for _, table in options
            for words in table
        )
        for words in exceptions:
            at = next((k for k, w in enumerate(words) if w in self.words or w in self.phrases), 0)
            shapes = self.exceptions.setdefault(words[at], {})
            shapes.setdefault((at, len(words)), set()).add(words)
        self._keys = frozenset(self.words)
        self._exception_keys = frozenset(self.exceptions)
        self._unmasked: dict[str, Entry | None] = {}
        self._last: tuple[Sequence[Token] | None, tuple[Match, ...]] = (None, ())
        self._by_initial: dict[str, list[str]] = {}
        for word in self.words:
            self._by_initial.setdefault(word[0], []).append(word)

    def lookup(self, word: str) -> tuple[Entry, str] | None:
        """The entry for one token, seeing through stretched and masked letters."""
        entry = self.words.get(word)
        if entry is not None:
            return entry, ""
        if any(c in word for c in _MASK):
            masked = self._unmask(word)
            return (masked, "masked") if masked is not None else None
        if _RUN.search(word):
            for candidate in _unstretch(word):
                entry = self.words.get(candidate)
                if entry is not None:
                    return entry, "stretched"
        return None

    def _unmask(self, word: str) -> Entry | None:
        if word in self._unmasked:
            return self._unmasked[word]
        entry = self._unmask_uncached(word)
        if len(self._unmasked) < 4096:  # masked spellings are few; the bound is a safeguard
            self._unmasked[word] = entry
        return entry

    def _unmask_uncached(self, word: str) -> Entry | None:
        # Only a real mask: inside the word ("sh*t") or two or more at its end ("f***").
        core = word.rstrip(_MASK)
        inner = any(c in core for c in _MASK)
        if len(word) < 3 or not core or not (inner or len(word) - len(core) >= 2):
            return None
        if not core[0].isalpha():
            return None
        exact_parts: list[str] = []
        loose_parts: list[str] = []
        for m in re.finditer(r"[*#%]+|[^*#%]+", word):
            part = m.group()
            if part[0] in _MASK:
                exact_parts.append(f"[a-z]{{{len(part)}}}")
                loose_parts.append("[a-z]+")
            else:
                exact_parts.append(re.escape(part))
                loose_parts.append(re.escape(part))
        exact = re.compile("".join(exact_parts))
        loose = re.compile("".join(loose_parts))
        candidates = self._by_initial.get(word[0], ())
        for pattern in (exact, loose):
            for cand in candidates:
                if pattern.fullmatch(cand):
                    return self.words[cand]
        return None

    def find(self, toks: Sequence[Token]) -> list[Match]:
        """Every entry found in ``toks``: the longest at each position, none inside exceptions."""
        # Two detectors may ask one list about the same post (insults: HA101 and OF103).
        last = self._last  # one read: another thread may replace it between two
        if last[0] is toks:
            return list(last[1])
        found = self._find(toks)
        self._last = (toks, tuple(found))
        return found

    def _find(self, toks: Sequence[Token]) -> list[Match]:
        words, odd, where, pairs = _words(toks)
        # Set operations on the post's word and pair indexes, not a loop over every word.
        hits = self._keys.intersection(where)
        pair_hits = self._pairs.intersection(pairs)
        if not hits and not pair_hits and not odd:
            return []  # the usual post
        if len(hits) == 1 and not pair_hits and not odd:
            candidates = where[next(iter(hits))]
        else:
            starts = {i for w in hits for i in where[w]}
            n = len(words)
            for first, second in pair_hits:
                starts.update(i for i in where[first] if i + 1 < n and words[i + 1] == second)
            candidates = sorted(starts.union(odd))
        blocked = None
        if self.exceptions and not self._exception_keys.isdisjoint(where):
            blocked = self._blocked(toks)
        out: list[Match] = []
        phrases = self.phrases
        skip_to = 0  # a phrase's own words are not matched again ("what the hell", "the hell")
        n = len(toks)
        for i in candidates:
            if i < skip_to:
                continue
            word = words[i]
            options = phrases.get(word)
            if options is not None and (i + 1 >= n or (word, words[i + 1]) not in self._pairs):
                options = None  # no phrase opens with these two words
            if options is not None:
                found = False
                for length, table in options:
                    j = i + length
                    phrase_entry = table.get(words[i:j]) if j <= n else None
                    if phrase_entry is not None:
                        if blocked is None or not any(blocked[i:j]):
                            out.append(Match(i, j, phrase_entry))
                            skip_to = j
                        found = True
                        break
                if found:
                    continue
            entry = self.words.get(word)
            how = ""
            if entry is None and toks[i].odd:
                hit = self.lookup(word)
                if hit is None and toks[i].mention:
                    hit = self.lookup("a" + word)  # "@ss": plain read "@" as "a" after all
                if hit is not None:
                    entry, how = hit
            if entry is not None and (blocked is None or not blocked[i]):
                out.append(Match(i, i + 1, entry, how))
        return out

    def _blocked(self, toks: Sequence[Token]) -> list[bool]:
        words, _, where, _ = _words(toks)
        n = len(words)
        blocked = [False] * n
        for anchor in self._exception_keys.intersection(where):
            for i in where[anchor]:
                for (at, length), phrases in self.exceptions[anchor].items():
                    a, b = i - at, i - at + length
                    if a >= 0 and b <= n and words[a:b] in phrases:
                        for k in range(a, b):
                            blocked[k] = True
        return blocked


_Words = tuple[tuple[str, ...], tuple[int, ...], dict[str, list[int]], set[tuple[str, str]]]
_info: tuple[Sequence[Token] | None, _Words] = (None, ((), (), {}, set()))


def _words(toks: Sequence[Token]) -> _Words:
    """The tokens' words, which tokens need the slow look-up, where each word occurs and where
    each pair of words does (kept for the last tokens: the lists of the three detectors share
    them)."""
    global _info
    last = _info  # one read: another thread may replace _info between two
    if last[0] is toks:
        return last[1]
    words = tuple(t.word for t in toks)
    odd = tuple(i for i, t in enumerate(toks) if t.odd)
    where: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        where.setdefault(w, []).append(i)
    pairs = set(pairwise(words))
    result = (words, odd, where, pairs)
    _info = (toks, result)
    return result


def _unstretch(word: str) -> list[str]:
    """Spellings of ``word`` with each run of 3+ letters cut to one or two: "fuuuck" -> "fuck"."""
    variants = [""]
    pos = 0
    for m in _RUN.finditer(word):
        head = word[pos : m.start()]
        letter = m.group(1)
        variants = [v + head + r for v in variants for r in (letter, letter * 2)][:16]
        pos = m.end()
    return [v + word[pos:] for v in variants]


@cache
def load(name: str) -> Lexicon:
    """The list ``lexicons/<name>.txt``, compiled once per process."""
    return Lexicon(lexicon_text(f"{name}.txt").splitlines())


@cache
def word_set(name: str) -> frozenset[str]:
    """Every whitespace-separated word of ``lexicons/<name>.txt`` (comments and tags skipped)."""
    text = lexicon_text(f"{name}.txt")
    return frozenset(
        word.lower()
        for line in text.splitlines()
        if not line.lstrip().startswith("[")
        for word in line.split("#", 1)[0].split()
    )


# Not year_groups.YEAR_WORD: run on the original text, as the plain view turns "Y5" into "ys",
# and allows a class letter ("Y6B").
_YEAR_GROUP = re.compile(r"y(?:r|ear)?\d{1,2}[a-z]?", re.IGNORECASE)


# A cheap prefix test on the original text that gates the token scan below.
_YEAR_GROUP_IN_TEXT = re.compile(r"\b[yY](?:[rR]|ear)?\d")


def year_groups(doc: Document) -> frozenset[int]:
    """Indices of the tokens written as a year group ("Y6", "y10", "Yr9"): the plain view reads
    their digits as letters ("Y5" -> "ys"), so the original text decides. Once per document."""
    return doc.shared(_year_groups)


def _year_groups(doc: Document) -> frozenset[int]:
    if _YEAR_GROUP_IN_TEXT.search(doc.original) is None:
        return frozenset()  # the usual post: one scan of the text
    toks = tokens(doc)
    out: set[int] = set()
    view = doc.plain
    for k, tok in enumerate(toks):
        if tok.word[0] == "y" and 2 <= len(tok.word) <= 5:
            s, e = view.to_original(tok.start, tok.end)
            if _YEAR_GROUP.fullmatch(doc.original[s:e]):
                out.add(k)
    return frozenset(out)


def sentences(toks: Sequence[Token]) -> list[tuple[int, int]]:
    """Token index ranges ``(i, j)`` of the sentences and clauses of ``toks``."""
    out: list[tuple[int, int]] = []
    start = 0
    for k in range(1, len(toks)):
        if toks[k].brk:
            out.append((start, k))
            start = k
    if toks:
        out.append((start, len(toks)))
    return out


def words_before(toks: Sequence[Token], i: int, n: int) -> list[str]:
    """Up to ``n`` words before token ``i`` in its sentence, nearest first."""
    out: list[str] = []
    k = i
    while k > 0 and len(out) < n and not toks[k].brk:
        k -= 1
        out.append(toks[k].word)
    return out


def words_after(toks: Sequence[Token], j: int, n: int) -> list[str]:
    """Up to ``n`` words from token ``j`` on, in the sentence of token ``j - 1``."""
    out: list[str] = []
    k = j
    while k < len(toks) and len(out) < n and not toks[k].brk:
        out.append(toks[k].word)
        k += 1
    return out


def cues(text: str) -> frozenset[str]:
    """A set of cue words written as one space-separated string."""
    return frozenset(text.split())

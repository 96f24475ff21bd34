"""LK: a link to a site in a category the school blocks (policy 5.1: the school may limit access
to any site).

Categories are folders in the UT1 blacklist layout: ``CATEGORY/domains`` (one domain a line) and
``CATEGORY/urls`` (host and path). The folder is ``settings.blocklists``; ``blocked_categories``
None means every category there whose ``usage`` file does not mark it a whitelist. With no folder
(the default) nothing is blocked and the detector reports nothing. Lists are loaded once per
(folder, categories) for the whole process, however many Screeners are built.

A link matches when its host or any parent domain down to the registered domain is listed: an
entry "bet365.com" blocks "www.bet365.com"; "sites.example.com" blocks that host and those below
it, not "example.com". tldextract runs offline on its bundled suffix list.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import tldextract

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

LK101 = Rule(
    code="LK101",
    name="blocked-site-link",
    message="The post links to a site in a category the school blocks",
    what="Finds links and bare web addresses to sites in the categories of the school's "
    "blocklist (UT1 layout), such as gambling or dating, including addresses with the dot "
    "disguised ('bet365 dot com').",
    example="Cheeky acca for the weekend, get on it lads: https://www.bet365.com/#/AC/B1/",
    instead="Cheeky acca for the weekend, good luck lads!",
    fix="Take the link out; the school blocks this kind of site, so don't promote it from an "
    "account people connect with the school.",
)

# tldextract with its bundled Public Suffix List snapshot: no download, no cache on disk.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

_HOST_CHARS = r"[a-z0-9_](?:[a-z0-9_\-]{0,61}[a-z0-9_])?"
_LINK = re.compile(
    r"(?:\bhttps?://|\bwww\.|(?<![@\w.\-/]))"
    rf"(?P<host>(?:{_HOST_CHARS}\.)+[a-z]{{2,24}}|\d{{1,3}}(?:\.\d{{1,3}}){{3}})"
    r"(?::\d{1,5})?(?P<path>/[^\s<>\"'`\[\]{}|\\^]*)?"
    r"(?![\w@\-])"
)  # matched in doc.lower
# Something like "x.yz" must be in the post before the full pattern is worth running.
_DOTTED = re.compile(r"[a-z0-9]\.[a-z]{2}")
_WORD_START = re.compile(r"[\s<>\"'`()\[\]{}|]\S*$")  # the last break before a position
_WORD_END = re.compile(r"[\s<>\"'`()\[\]{}|]")
_TRAILING = ".,;:!?)'\"’”"
# A web address with its dots disguised: "skybet dot com", "match[.]com", "888poker (dot) com".
_DOT_WORD = r"(?:[ \t]*(?:\[\.\]|\(\.\)|\[dot\]|\(dot\)|\{dot\})[ \t]*|[ \t]+dot[ \t]+)"
_SPELT_LINK = re.compile(
    rf"(?<![\w.@\-])(?P<name>[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?){_DOT_WORD}"
    rf"(?P<suffix>[a-z]{{2,6}}(?:(?:{_DOT_WORD}|\.)[a-z]{{2,3}})?)(?![\w\-])"
)
_SPELT_GATE = ("dot", "[.]", "(.)")
_SPELT_SEP = re.compile(_DOT_WORD)


@dataclass(frozen=True)
class Blocklist:
    """Blocked domains and URL prefixes, each with the categories that list it."""

    domains: dict[str, str]  # domain -> "gambling" (or "dating, gambling")
    urls: dict[str, tuple[tuple[str, str], ...]]  # host -> ((path prefix, category), ...)
    missing: tuple[str, ...] = ()  # categories named in the settings but not in the folder

    def __bool__(self) -> bool:
        return bool(self.domains or self.urls)


_LOADED: dict[tuple[Path, tuple[str, ...] | None], Blocklist] = {}
_LOCK = threading.Lock()
EMPTY_BLOCKLIST = Blocklist({}, {})


def load_blocklist(folder: Path, categories: tuple[str, ...] | None = None) -> Blocklist:
    """The blocklist for ``folder`` and ``categories``, read from disk on first use only."""
    key = (folder.resolve(), tuple(sorted(categories)) if categories is not None else None)
    with _LOCK:
        found = _LOADED.get(key)
        if found is None:
            found = _LOADED[key] = _read(key[0], key[1])
        return found


def _lines(path: Path) -> Iterator[str]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            entry = line.split("#", 1)[0].strip().lower().rstrip(".")
            if entry:
                yield entry


def _read(folder: Path, categories: tuple[str, ...] | None) -> Blocklist:
    if not folder.is_dir():
        return Blocklist({}, {}, tuple(categories or ()))
    if categories is None:
        chosen = sorted(p.name for p in folder.iterdir() if p.is_dir() and not _whitelist(p))
        missing: tuple[str, ...] = ()
    else:
        chosen = [c for c in categories if (folder / c).is_dir()]
        missing = tuple(c for c in categories if not (folder / c).is_dir())
    domains: dict[str, str] = {}
    urls: dict[str, list[tuple[str, str]]] = {}
    for category in chosen:
        for domain in _lines(folder / category / "domains"):
            domain = domain.removeprefix("*.")
            previous = domains.get(domain)
            domains[domain] = category if previous is None else f"{previous}, {category}"
        for url in _lines(folder / category / "urls"):
            url = url.split("://", 1)[-1]
            host, _, path = url.partition("/")
            urls.setdefault(host.removeprefix("www."), []).append(("/" + path, category))
    frozen = {host: tuple(entries) for host, entries in urls.items()}
    return Blocklist(domains, frozen, missing)


def _whitelist(category: Path) -> bool:
    """UT1 marks a few categories (e.g. ``forums``) as whitelists in their ``usage`` file."""
    usage = category / "usage"
    if not usage.is_file():
        return False
    words = {word for line in _lines(usage) for word in line.split()}
    return "white" in words and "black" not in words


class LinkDetector(Detector):
    """Links to sites in the school's blocked categories: LK101."""

    rules: ClassVar[tuple[Rule, ...]] = (LK101,)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        folder = settings.blocklists
        self.blocklist = (
            load_blocklist(Path(folder), settings.blocked_categories)
            if folder is not None
            else EMPTY_BLOCKLIST
        )
        if self.blocklist:
            _EXTRACT("example.co.uk")  # load the bundled suffix list now, not in detect()

    def detect(self, doc: Document) -> Iterator[Span]:
        if not self.blocklist:
            return
        lower = doc.lower
        if any(g in lower for g in _SPELT_GATE):
            yield from self._spelt_links(doc)
        if "." not in doc.text:
            return
        for m in self._links(lower):
            host = m["host"].rstrip(".")
            path = (m["path"] or "").rstrip(_TRAILING)
            found = self._blocked(host, path)
            if found is None:
                continue
            entry, category = found
            end = m.start("path") + len(path) if m["path"] else m.start("host") + len(host)
            categories = "categories" if ", " in category else "category"
            reason = f"{entry} is in the school's blocked {categories}: {category}"
            yield self.span("LK101", m.start(), end, 0.9, reason, doc)

    def _spelt_links(self, doc: Document) -> Iterator[Span]:
        """ "skybet dot com", "match[.]com": a blocked site's address with the dot disguised."""
        for m in _SPELT_LINK.finditer(doc.lower):
            host = m["name"] + "." + _SPELT_SEP.sub(".", m["suffix"])
            found = self._blocked(host, "")
            if found is None:
                continue
            entry, category = found
            categories = "categories" if ", " in category else "category"
            reason = (
                f"{entry} (written '{doc.text[m.start() : m.end()]}') is in the school's "
                f"blocked {categories}: {category}"
            )
            yield self.span("LK101", m.start(), m.end(), 0.85, reason, doc)

    @staticmethod
    def _links(lower: str) -> Iterator[re.Match[str]]:
        """Links in ``lower``: only the words around an "x.yz" are searched, which is much
        quicker than running the link pattern over the whole post."""
        done = 0
        for dotted in _DOTTED.finditer(lower):
            if dotted.start() < done:
                continue
            start = _WORD_START.search(lower, 0, dotted.start())
            end = _WORD_END.search(lower, dotted.end())
            lo = start.start() + 1 if start else 0
            done = end.start() if end else len(lower)
            yield from _LINK.finditer(lower, lo, done)

    def _blocked(self, host: str, path: str) -> tuple[str, str] | None:
        """The list entry and categories that block ``host``/``path``, or None."""
        labels = host.split(".")
        domains = self.blocklist.domains
        # Host suffixes, longest first: a hit is checked against the registered domain below.
        for i in range(len(labels) - 1):
            candidate = ".".join(labels[i:])
            category = domains.get(candidate)
            if category is not None and self._at_or_below_registered(host, candidate):
                return candidate, category
        bare = host.removeprefix("www.")
        for prefix, category in self.blocklist.urls.get(bare, ()):
            if (path or "/").startswith(prefix) or (path + "/") == prefix:
                return bare + prefix.rstrip("/"), category
        return None

    @staticmethod
    def _at_or_below_registered(host: str, entry: str) -> bool:
        """``entry`` is the host's registered domain or below it, never a public suffix alone
        (a list that names "co.uk" must not block every UK site), and ``host`` has a real suffix
        (so "e.g" or "Mr.Smith" are never links)."""
        ext = _EXTRACT(host)
        if ext.ipv4:
            return entry == host
        registered = ext.top_domain_under_public_suffix
        if not ext.suffix or not registered:
            return False
        return entry == registered or entry.endswith("." + registered)

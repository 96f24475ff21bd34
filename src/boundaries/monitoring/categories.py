"""Site categories: which kind of site a host (or URL) belongs to.

A built-in ``social_networking`` category covers the kinds of site section 3 of the policy calls
social media (social networks, blogs, forums, review sites, polls, video and podcast sites);
schools add category folders in the UT1 blacklist layout (``CATEGORY/domains`` and
``CATEGORY/urls``). A listed domain covers itself and every subdomain. Hosts are matched from
the full name down to the registered domain (found with tldextract's bundled public suffix
list, offline), never above it: ``co.uk`` is nobody's site. Each distinct host is worked out
once and remembered, because a log repeats the same few thousand hosts millions of times.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import tldextract

SOCIAL_NETWORKING = "social_networking"
# UT1 categories that are social media in the sense of section 3 (social networks, blogs,
# forums, video and podcast sites); a host in any of them counts as social networking.
UT1_SOCIAL = frozenset({"social_networks", "blog", "forums", "audio-video"})
# When one host is listed in several categories at the same depth, the first of these wins,
# then the rest in alphabetical order, so that the choice never depends on load order.
PREFERRED = (SOCIAL_NETWORKING, "social_networks")
MAX_HOST = 253

_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?")
_URL_RULE = re.compile(r"([a-z0-9_][a-z0-9_.-]*[a-z0-9_])(/.*)")
_CATEGORY_NAME = re.compile(r"[A-Za-z0-9_.-]+")


@cache
def _extractor() -> tldextract.TLDExtract:
    # No suffix list URLs and no cache directory: the snapshot bundled with tldextract, so
    # nothing is fetched or written at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def normalise_host(text: str) -> str | None:
    """The host in lower case without port, brackets or trailing dot; None if it is not one."""
    value = text.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 1 else None
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    value = value.rstrip(".")
    if not value or len(value) > MAX_HOST:
        return None
    if ":" in value:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return None
    return value if _HOST.fullmatch(value) else None


def registered_domain(host: str) -> str:
    """The registered domain of ``host`` (``bbc.co.uk`` for ``news.bbc.co.uk``); an IP address
    or a single label (``intranet``) is its own."""
    name = normalise_host(host)
    if name is None:
        return host.strip().lower()
    if _is_ip(name):
        return name
    parts = _extractor()(name)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    # No public suffix (``school.local``, ``.example``): the last two labels stand for one.
    return ".".join(name.split(".")[-2:])


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class HostCategory:
    """What the lists say about one host."""

    host: str
    domain: str
    category: str | None
    categories: tuple[str, ...]
    social: bool


@dataclass
class Categories:
    """Domain and URL lists by category, and the lookups over them."""

    domains: dict[str, set[str]] = field(default_factory=dict)
    # host -> [(path prefix, category)], from ``urls`` files.
    url_rules: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    social_categories: frozenset[str] = field(default_factory=lambda: UT1_SOCIAL)
    _memo: dict[str, HostCategory] = field(default_factory=dict, repr=False, compare=False)

    # -- building ---------------------------------------------------------------------------
    @classmethod
    def empty(cls) -> Categories:
        """No categories at all."""
        return cls()

    @classmethod
    def builtin(cls) -> Categories:
        """The built-in social networking category alone."""
        found = cls()
        text = (
            resources.files("boundaries.monitoring")
            .joinpath("data/social_networking.txt")
            .read_text(encoding="utf-8")
        )
        found.add_lines(SOCIAL_NETWORKING, text.splitlines())
        return found

    @classmethod
    def load_ut1(cls, folder: Path, *, include_builtin: bool = True) -> Categories:
        """The categories of a UT1-layout folder (each sub-folder a category with ``domains``
        and ``urls`` files), with the built-in category too unless told otherwise. Alias
        files (symbolic links in the tarball, one-line files in git mirrors) are skipped,
        since the folder they name is read anyway."""
        found = cls.builtin() if include_builtin else cls()
        found.add_ut1(folder)
        return found

    def add_ut1(self, folder: Path) -> None:
        """Add every category folder under ``folder``."""
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} is not a folder of categories.")
        for entry in sorted(folder.iterdir()):
            if entry.is_symlink() or not entry.is_dir():
                continue
            if not _CATEGORY_NAME.fullmatch(entry.name):
                continue
            for path in sorted(entry.iterdir()):
                # Big lists are split in some mirrors (domains.2, urls.3).
                if path.is_file() and path.name.split(".", 1)[0] in ("domains", "urls"):
                    with path.open(encoding="utf-8", errors="replace") as lines:
                        self.add_lines(entry.name, lines)

    def add_lines(self, category: str, lines: Iterable[str]) -> None:
        """Add domain lines (``example.com``) and URL lines (``example.com/path``) to a
        category; comments, blanks and lines that do not start with a host are skipped."""
        for raw in lines:
            line = raw.split("#", 1)[0].strip().lower()
            if not line or line.startswith("/"):
                continue
            line = line.removeprefix("http://").removeprefix("https://")
            if "/" in line:
                match = _URL_RULE.fullmatch(line)
                if match is None:
                    continue
                host = normalise_host(match.group(1))
                if host is None:
                    continue
                prefix = match.group(2)
                if prefix == "/":
                    self.domains.setdefault(host, set()).add(category)
                else:
                    self.url_rules.setdefault(host, []).append((prefix, category))
                continue
            host = normalise_host(line.removeprefix("."))
            if host is not None:
                self.domains.setdefault(host, set()).add(category)
        self._memo.clear()

    def merge(self, other: Categories) -> Categories:
        """A new set with both sets' entries."""
        merged = Categories(social_categories=self.social_categories | other.social_categories)
        for source in (self, other):
            for host, names in source.domains.items():
                merged.domains.setdefault(host, set()).update(names)
            for host, rules in source.url_rules.items():
                merged.url_rules.setdefault(host, []).extend(rules)
        return merged

    # -- lookups ----------------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Every category name, in order."""
        found = {name for names in self.domains.values() for name in names}
        found.update(category for rules in self.url_rules.values() for _, category in rules)
        return _ordered(found)

    def is_social_category(self, category: str | None) -> bool:
        return category is not None and (
            category == SOCIAL_NETWORKING or category in self.social_categories
        )

    def lookup(self, host: str) -> HostCategory:
        """Everything the lists say about ``host``, worked out once per distinct host."""
        known = self._memo.get(host)
        if known is not None:
            return known
        name = normalise_host(host)
        if name is None:
            result = HostCategory(host, host.strip().lower(), None, (), False)
        else:
            domain = registered_domain(name)
            deepest: list[str] = []
            every: set[str] = set()
            for candidate in _suffixes(name, domain):
                listed = self.domains.get(candidate)
                if listed:
                    if not deepest:
                        deepest = _ordered(listed)
                    every.update(listed)
            categories = tuple(_ordered(every))
            result = HostCategory(
                host=name,
                domain=domain,
                category=deepest[0] if deepest else None,
                categories=categories,
                social=any(self.is_social_category(c) for c in categories),
            )
        self._memo[host] = result
        return result

    def category_of(self, host: str) -> str | None:
        """The host's category: the one listed for its longest matching name."""
        return self.lookup(host).category

    def categories_of(self, host: str) -> tuple[str, ...]:
        """Every category that lists the host or one of its parent domains."""
        return self.lookup(host).categories

    def is_social(self, host: str) -> bool:
        """Whether the host is a social media site in the sense of section 3."""
        return self.lookup(host).social

    def has_url_rules(self, host: str) -> bool:
        name = normalise_host(host)
        return name is not None and (
            name in self.url_rules or name.removeprefix("www.") in self.url_rules
        )

    def category_of_url(self, url: str) -> str | None:
        """The category of a full URL: a ``urls`` entry that the URL starts with, else the
        category of its host."""
        rest = url.split("://", 1)[1] if "://" in url else url
        host_part, _, path = rest.partition("/")
        host = normalise_host(host_part.rsplit("@", 1)[-1])
        if host is None:
            return None
        path = "/" + path
        for candidate in (host, host.removeprefix("www.")):
            matches = [
                c for prefix, c in self.url_rules.get(candidate, []) if path.startswith(prefix)
            ]
            if matches:
                return _ordered(set(matches))[0]
        return self.category_of(host)


def _suffixes(name: str, domain: str) -> Iterator[str]:
    """``a.b.example.co.uk``, ``b.example.co.uk``, ``example.co.uk`` and no further."""
    if name == domain or not name.endswith("." + domain):
        yield name
        return
    labels = name.split(".")
    stop = len(labels) - len(domain.split("."))
    for start in range(stop + 1):
        yield ".".join(labels[start:])


def _ordered(names: Iterable[str]) -> list[str]:
    return sorted(
        names,
        key=lambda n: (PREFERRED.index(n) if n in PREFERRED else len(PREFERRED), n),
    )

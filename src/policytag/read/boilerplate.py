"""Boilerplate rules (data in resources/boilerplate.json): advertising, paywall markers, hidden-text notices,
link lists, tag lines, web-page chrome, photo credits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class LineRule:
    name: str
    pattern: re.Pattern
    max_length: int | None = None


@dataclass(frozen=True)
class BoilerplateRules:
    inline: tuple[tuple[str, re.Pattern], ...]
    line: tuple[LineRule, ...]
    tail: tuple[LineRule, ...]
    tail_window: int
    ad_keywords: tuple[str, ...]
    ad_min_hits: int
    ad_max_length: int

    @property
    def inline_union(self) -> re.Pattern:
        return _union(tuple(p.pattern for _, p in self.inline))

    def line_rule(self, line: str) -> str | None:
        """Name of the rule that makes this normalized line boilerplate, or None."""
        if _NO_CONTENT.match(line):
            return "no_content"
        for rule in self.line:
            if rule.max_length is not None and len(line) > rule.max_length:
                continue
            if rule.pattern.search(line):
                return rule.name
        if len(line) <= self.ad_max_length:
            low = line.lower()
            hits = sum(1 for k in self.ad_keywords if k.lower() in low)
            if hits >= self.ad_min_hits:
                return "advertising"
        return None

    def tail_rule(self, line: str) -> str | None:
        for rule in self.tail:
            if rule.pattern.search(line):
                return rule.name
        return None


# A line of nothing but quotation marks, brackets or separators (markup debris): no word, digit or redaction.
_NO_CONTENT = re.compile(r"^[\s'\"‘’“”`´|｜=~_\-—–·•.,，。;；:：()（）\[\]【】<>《》]+$")


@lru_cache(maxsize=8)
def _union(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _flags(spec: dict) -> int:
    return re.IGNORECASE if "i" in spec.get("flags", "") else 0


def _line_rules(specs: list[dict]) -> tuple[LineRule, ...]:
    return tuple(LineRule(s["name"], re.compile(s["pattern"], _flags(s)), s.get("max_length")) for s in specs)


@lru_cache(maxsize=1)
def default_rules() -> BoilerplateRules:
    data = json.loads(resources.files("policytag.read").joinpath("resources/boilerplate.json").read_text("utf-8"))
    return BoilerplateRules(
        inline=tuple((s["name"], re.compile(s["pattern"], _flags(s))) for s in data["inline"]),
        line=_line_rules(data["line"]),
        tail=_line_rules(data["tail"]),
        tail_window=int(data["tail_window"]),
        ad_keywords=tuple(data["ad_keywords"]),
        ad_min_hits=int(data["ad_min_hits"]),
        ad_max_length=int(data["ad_max_length"]),
    )

"""A reader for the small part of YAML that compose.yaml is written in, so the test can compare the file with the
process topology without a YAML library in the requirements.

Read: block mappings and block sequences (`- item`, `- key: value` items), comments, double-quoted scalars (JSON
escapes), single-quoted scalars, flow sequences of double-quoted strings (`["python", "-m", "x"]`), and plain
scalars (integers and true/false become int and bool, the rest stays text). Anything else — tabs, anchors and
aliases, tags, block scalars (`|`, `>`), flow mappings, duplicate keys — is refused with its line number, so the
file cannot quietly mean something else to compose than to this test.
"""

from __future__ import annotations

import json
import re
from typing import Any

_KEY = re.compile(r"^([A-Za-z0-9_.\-]+):(?:\s+(.*))?$")


class YamlishError(ValueError):
    pass


def _strip_comment(text: str) -> str:
    quote = None
    for i, char in enumerate(text):
        if quote:
            if char == quote and (quote == "'" or text[i - 1] != "\\"):
                quote = None
        elif char in "\"'" and (i == 0 or text[i - 1] in " [,:"):
            quote = char
        elif char == "#" and (i == 0 or text[i - 1] == " "):
            return text[:i].rstrip()
    return text.rstrip()


def _scalar(text: str, number: int) -> Any:
    text = text.strip()
    if not text:
        return None
    if text[0] in "&*!|>{":
        raise YamlishError(f"line {number}: {text[0]!r} is outside the subset read here")
    if text[0] == '"':
        return json.loads(text)
    if text[0] == "'":
        if not text.endswith("'") or len(text) < 2:
            raise YamlishError(f"line {number}: unterminated single-quoted scalar")
        return text[1:-1].replace("''", "'")
    if text[0] == "[":
        value = json.loads(text)
        if not all(isinstance(item, str | int) for item in value):
            raise YamlishError(f"line {number}: flow sequences hold strings or integers only")
        return value
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in {"true", "false"}:
        return text == "true"
    return text


def loads(source: str) -> Any:
    """The document in `source` as dicts, lists and scalars."""
    lines: list[tuple[int, str, int]] = []
    for number, raw in enumerate(source.splitlines(), 1):
        if "\t" in raw:
            raise YamlishError(f"line {number}: tab")
        content = _strip_comment(raw)
        if content.strip() in {"", "---"}:
            continue
        lines.append((len(content) - len(content.lstrip(" ")), content.strip(), number))
    value, end = _block(lines, 0, lines[0][0] if lines else 0)
    if end != len(lines):
        raise YamlishError(f"line {lines[end][2]}: unexpected indentation")
    return value


def _block(lines: list[tuple[int, str, int]], i: int, indent: int) -> tuple[Any, int]:
    if i >= len(lines):
        return None, i
    if lines[i][1].startswith("- ") or lines[i][1] == "-":
        return _sequence(lines, i, indent)
    return _mapping(lines, i, indent)


def _sequence(lines: list[tuple[int, str, int]], i: int, indent: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    while i < len(lines) and lines[i][0] == indent and (lines[i][1].startswith("- ") or lines[i][1] == "-"):
        _, content, number = lines[i]
        rest = content[1:].strip()
        if not rest:
            value, i = _block(lines, i + 1, lines[i + 1][0] if i + 1 < len(lines) else indent + 2)
        elif _KEY.match(rest) and not rest.startswith(('"', "'")):
            lines[i] = (indent + 2, rest, number)  # `- key: value` opens a mapping at the item's indentation
            value, i = _mapping(lines, i, indent + 2)
        else:
            value, i = _scalar(rest, number), i + 1
        out.append(value)
    return out, i


def _mapping(lines: list[tuple[int, str, int]], i: int, indent: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    while i < len(lines) and lines[i][0] == indent:
        _, content, number = lines[i]
        match = _KEY.match(content)
        if not match:
            raise YamlishError(f"line {number}: expected `key: value`, found {content!r}")
        key, rest = match.group(1), match.group(2)
        if key in out:
            raise YamlishError(f"line {number}: duplicate key {key!r}")
        if rest is None or rest == "":
            if i + 1 < len(lines) and lines[i + 1][0] > indent:
                out[key], i = _block(lines, i + 1, lines[i + 1][0])
            elif i + 1 < len(lines) and lines[i + 1][0] == indent and lines[i + 1][1].startswith("- "):
                out[key], i = _sequence(lines, i + 1, indent)  # a sequence may sit at its key's indentation
            else:
                out[key], i = None, i + 1
        else:
            out[key], i = _scalar(rest, number), i + 1
    if i < len(lines) and lines[i][0] > indent:
        raise YamlishError(f"line {lines[i][2]}: unexpected indentation")
    return out, i

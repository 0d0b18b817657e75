"""Messages of the import report, kept as a key and its values and written out in either language on demand.

The wording lives in the app's translation table (`i18n.TEXT`, keys `ingest.*`; that module has no
Streamlit import), so the command, the rejected-rows file and the import page say the same thing in Vietnamese or
English. Values are formatted for the language when the message is written: numbers as `1.450.000` (vi) or
`1,450,000` (en), a nested `Message` in the same language, `OneOf` alternatives (text or messages) joined with
`hoặc` / `or`, `AllOf` items joined with `; `, a date as `1/7/2025` (vi) or `1 July 2025`
(en). Pass years, row numbers and codes as strings: they are identifiers, not quantities.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from i18n import LANGS, TEXT, Lang, Translator, format_date, format_number


@dataclass(frozen=True)
class OneOf:
    """Alternatives written `a or b` / `a hoặc b`; an item may be a `Message`, written in the same language."""

    items: tuple[str | Message, ...]


@dataclass(frozen=True)
class AllOf:
    """Items written one after another, `a; b` in either language; an item may be a `Message`."""

    items: tuple[str | Message, ...]


@dataclass(frozen=True)
class Message:
    """A key of `i18n.TEXT` and the values of its placeholders (hashable, so rows can share texts)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: Lang) -> str:
        tr = Translator(lang)
        return tr(self.key, **{name: _value(value, lang) for name, value in self.values})


def msg(key: str, **values: object) -> Message:
    """`msg("ingest.members_max", limit=100)`; an unknown key fails here, not when the report is written."""
    if key not in TEXT:
        raise KeyError(f"no translation for {key!r}")
    return Message(key, tuple(values.items()))


class FileError(Exception):
    """The file cannot be read at all (not CSV/XLSX, unreadable, no header row); `message` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text("en"))
        self.message = message


def _value(value: object, lang: Lang) -> str:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, OneOf):
        return Translator(lang)("ingest.or").join(_value(item, lang) for item in value.items)
    if isinstance(value, AllOf):
        return "; ".join(_value(item, lang) for item in value.items)
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format_number(value, 0 if float(value).is_integer() else 2, lang)
    return str(value)


def texts(messages: Iterable[Message], lang: Lang) -> list[str]:
    """Each message in `lang`, each distinct message written once (a problem often repeats on many rows)."""
    seen: dict[Message, str] = {}
    out = []
    for message in messages:
        text = seen.get(message)
        if text is None:
            text = seen[message] = message.text(lang)
        out.append(text)
    return out


__all__ = ["LANGS", "AllOf", "FileError", "Lang", "Message", "OneOf", "msg", "texts"]

"""Figures built once per process: a figure builder decorated with `per_process` returns the figure it built before
for equal inputs, instead of building it again for every visitor who opens the same view.

Why: under load every session of a link rebuilds the same plotly figure from the same cached query result (plotly's
objects validate every property as it is set, and the theme's template is merged into each layout);
bench/profile_replica.py measures that share of a session (issue 9).

Equal inputs: DataFrames and Series by content (their pickle hashed), a `Translator` by its language, frozen
dataclasses (the small-cell `Rule`) by their fields, plain values by value, small lists and tuples element by
element, and any other object (the boundary geometry `st.cache_resource` keeps) by identity — the cache holds a
reference to it, so its identity is not reused while the entry lives. What a view shows beyond the arguments enters
the key through `context_key()` (whether the visitor is signed in, where small-cell suppression depends on it).

The returned figure is shared between sessions: callers hand it to `st.plotly_chart` (which copies it into JSON) and
never change it.

The same keys serve other pure derived work (`per_process(copy=True)`): tables formatted for a language, frames
judged and protected for a rule. There each caller gets a shallow copy of the cached frames, dicts, lists and sets
(pandas' Copy-on-Write: a caller's changes stay in its copy), and `versioned=True` adds the warehouse version
(`data.warehouse.current_version()`, one stat) and `queries.runner.generation()` (so `clear_caches()` reaches it)
to the key, for work that reads the warehouse itself rather than its arguments.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd

from data.access import sees_small_cells
from i18n import Translator

F = TypeVar("F", bound=Callable[..., Any])
MAX_ENTRIES = 128  # per builder; a map figure holds its boundaries (≈ 100–300 KB): at most ≈ 40 MB
_SMALL = 16  # lists and tuples up to this length are compared element by element, longer ones by identity


def _fingerprint(value: Any, pinned: list[Any]) -> Hashable:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Translator):
        return ("tr", value.lang)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        return (type(value).__name__, value)  # e.g. the small-cell `disclosure.Rule`: equal by its fields
    if isinstance(value, pd.DataFrame | pd.Series):
        # The pickle: ~5× faster than pandas' own row hashing on these small frames with Arrow-backed strings.
        # Equal pickles mean equal frames (values, index, columns, dtypes); equal frames pickled differently only
        # miss the cache.
        try:
            return (type(value).__name__, hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).digest())
        except (TypeError, pickle.PicklingError):  # not picklable: compared by identity, i.e. not cached
            pinned.append(value)
            return ("id", id(value))
    if isinstance(value, list | tuple) and len(value) <= _SMALL:
        return (type(value).__name__, *(_fingerprint(item, pinned) for item in value))
    pinned.append(value)
    return ("id", id(value))


def context_key() -> Hashable:
    """What a figure may depend on besides its arguments: whether the visitor sees small cells
    (`data.access.sees_small_cells`; None outside Streamlit). Worked out once per script run (every cached call
    asks; reading the sign-in state looks for Streamlit's secrets files): the run's context keeps it beside the run's
    own `cursors` dict, which Streamlit replaces when the next run of the session starts."""
    ctx = _run_context()
    memo = getattr(ctx, "_figure_cache_context", None)
    if memo is not None and memo[0] is ctx.cursors:  # type: ignore[union-attr]
        return memo[1]
    value = _sees_small_cells_state()
    if ctx is not None:
        with contextlib.suppress(AttributeError):  # a context that takes no new attributes: asked every time
            ctx._figure_cache_context = (ctx.cursors, value)  # type: ignore[attr-defined]
    return value


def _sees_small_cells_state() -> Hashable:
    try:
        return bool(sees_small_cells())
    except Exception:  # outside Streamlit
        return None


_EVERY: list[Callable[[], None]] = []  # every cache's clear, for `clear_all`


def clear_all() -> None:
    """Empty every `per_process` cache of this process (benchmarks of a cold start)."""
    for clear in _EVERY:
        clear()


def _copied(value: Any) -> Any:
    """A shallow copy of every frame, dict, list and set in `value` (also inside a tuple); other values as they are."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_copied(item) for item in value)
    if isinstance(value, dict | list | set):
        return value.copy()
    return value


def per_process(builder: F | None = None, *, copy: bool = False, versioned: bool = False) -> Any:
    """Cache `builder`'s results in this process by their inputs (see the module docstring); at most `MAX_ENTRIES`,
    the least recently used dropped first. `copy`: hand out shallow copies of the frames in a result (for results
    callers may change); `versioned`: the warehouse version is part of the key. Usable as `@per_process` or
    `@per_process(copy=True, versioned=True)`."""
    if builder is None:
        return functools.partial(per_process, copy=copy, versioned=versioned)
    entries: OrderedDict[Hashable, tuple[Any, list[Any]]] = OrderedDict()
    lock = threading.Lock()
    out = _copied if copy else (lambda value: value)

    @functools.wraps(builder)
    def cached(*args: Any, **kwargs: Any) -> Any:
        pinned: list[Any] = []
        key = (_fingerprint(args, pinned), tuple((k, _fingerprint(v, pinned)) for k, v in sorted(kwargs.items())),
               context_key(), _version() if versioned else None)
        with lock:
            hit = entries.get(key)
            if hit is not None:
                entries.move_to_end(key)
                return out(hit[0])
        result = builder(*args, **kwargs)
        with lock:
            entries[key] = (result, pinned)
            while len(entries) > MAX_ENTRIES:
                entries.popitem(last=False)
        return out(result)

    cached.cache_clear = entries.clear  # type: ignore[attr-defined]
    _EVERY.append(entries.clear)
    return cached


def _version() -> Hashable:
    """The warehouse version and `queries.runner.generation()`, worked out once per script run like
    `context_key()`: a run reads one version throughout (a new one is read by the next run, the viewer's next
    interaction); data read by a builder is never older than the version in its key."""
    from data.warehouse import current_version
    from queries.runner import generation

    ctx = _run_context()
    memo = getattr(ctx, "_figure_cache_version", None)
    if memo is not None and memo[0] is ctx.cursors:  # type: ignore[union-attr]
        return memo[1]
    value = (current_version(), generation())
    if ctx is not None:
        with contextlib.suppress(AttributeError):
            ctx._figure_cache_version = (ctx.cursors, value)  # type: ignore[attr-defined]
    return value


def _run_context() -> Any:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return None
    return get_script_run_ctx(suppress_warning=True)

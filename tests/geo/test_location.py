"""Where boundaries are read from: $BOUNDARIES_DIR, then <repo>/geo/boundaries, then <repo>/../shared/geo."""

from __future__ import annotations

from pathlib import Path

import pytest

import geo.boundaries
from geo import BoundaryError, boundaries_dir, load_boundaries
from geo.boundaries import COMMUNES_FILE, ENV_VAR

from .conftest import SYNTHETIC_COMMUNES


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake checkout: tmp/repo beside tmp/shared, with no boundary folder yet."""
    repo = tmp_path / "repo"
    repo.mkdir()
    monkeypatch.setattr(geo.boundaries, "_REPO_ROOT", repo)
    return tmp_path


def _with_communes(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / COMMUNES_FILE).write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    return folder


def test_no_folder_anywhere_is_none(layout: Path) -> None:
    assert boundaries_dir() is None
    assert load_boundaries(SYNTHETIC_COMMUNES) is None


def test_folder_without_the_communes_file_does_not_count(layout: Path) -> None:
    (layout / "shared" / "geo").mkdir(parents=True)
    (layout / "repo" / "geo" / "boundaries").mkdir(parents=True)
    assert boundaries_dir() is None


def test_shared_folder_beside_the_checkout(layout: Path) -> None:
    shared = _with_communes(layout / "shared" / "geo")
    assert boundaries_dir() == shared


def test_repo_boundaries_folder_wins_over_shared(layout: Path) -> None:
    _with_communes(layout / "shared" / "geo")
    local = _with_communes(layout / "repo" / "geo" / "boundaries")
    assert boundaries_dir() == local


def test_configured_folder_wins(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_communes(layout / "repo" / "geo" / "boundaries")
    configured = _with_communes(layout / "elsewhere")
    monkeypatch.setenv(ENV_VAR, str(configured))
    assert boundaries_dir() == configured


def test_configured_folder_without_the_file_is_an_error(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _with_communes(layout / "shared" / "geo")  # a fallback exists, and must not be used silently
    empty = layout / "empty"
    empty.mkdir()
    monkeypatch.setenv(ENV_VAR, str(empty))
    with pytest.raises(BoundaryError, match=rf"BOUNDARIES_DIR.*{empty}.*{COMMUNES_FILE}"):
        boundaries_dir()
    with pytest.raises(BoundaryError):
        load_boundaries(SYNTHETIC_COMMUNES)


def test_configured_folder_that_does_not_exist_is_an_error(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(layout / "missing"))
    with pytest.raises(BoundaryError, match="does not exist"):
        boundaries_dir()


def test_empty_variable_counts_as_unset(layout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = _with_communes(layout / "shared" / "geo")
    monkeypatch.setenv(ENV_VAR, "  ")
    assert boundaries_dir() == shared


def test_default_folder_is_used_by_load(layout: Path, synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(synthetic))
    boundaries = load_boundaries(SYNTHETIC_COMMUNES)
    assert boundaries is not None and boundaries.source == synthetic


def test_the_real_checkout_finds_the_shared_reference(shared_geo: Path) -> None:
    found = boundaries_dir()
    assert found is not None and (found / COMMUNES_FILE).is_file()

"""Who may import (`data.access`): the rule on explicit inputs, and the import page's own checks (AppTest).

Nothing the browser sends takes part: the rule's inputs are the server's environment and the signed-in user's ID
token claims, as Streamlit's signed identity cookie carries them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.importing import literal
from data.access import ALLOW_ENV, READERS_ENV, WRITERS_ENV, Decision, Identity, Writers, decide, sees_everything
from data.warehouse import ROOT
from i18n import Translator
from queries.runner import clear_caches
from tests.ingest.conftest import review_rows, write_csv

tr = Translator("vi")
WRITERS = "an.nguyen@soldtbxh.baclieu.gov.vn, @thongke.baclieu.gov.vn, group:poverty-analysts"
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "dashboard",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def user(email: str | None = None, *, verified: object = None, groups: object = None, **claims: object
         ) -> dict[str, object]:
    """`st.user` of a signed-in session: `is_logged_in` plus ID token claims (absent when None)."""
    out: dict[str, object] = {"is_logged_in": True, "sub": "u1", **claims}
    if email is not None:
        out["email"] = email
    if verified is not None:
        out["email_verified"] = verified
    if groups is not None:
        out["groups"] = groups
    return out


@pytest.mark.parametrize(("env", "who", "expected"), [
    # the operator setting: everyone, signed in or not; off unless one of the four "on" words
    ({ALLOW_ENV: "1"}, None, Decision.OPERATOR),
    ({ALLOW_ENV: " TRUE "}, None, Decision.OPERATOR),
    ({ALLOW_ENV: "yes"}, None, Decision.OPERATOR),
    ({ALLOW_ENV: "on"}, None, Decision.OPERATOR),
    ({}, None, Decision.NOT_SIGNED_IN),
    ({ALLOW_ENV: "0", WRITERS_ENV: WRITERS}, None, Decision.NOT_SIGNED_IN),
    ({ALLOW_ENV: "off"}, user("an.nguyen@soldtbxh.baclieu.gov.vn"), Decision.NOT_LISTED),  # no list: nobody
    # a claimed login without `is_logged_in` exactly True is nobody
    ({WRITERS_ENV: WRITERS}, {"email": "an.nguyen@soldtbxh.baclieu.gov.vn"}, Decision.NOT_SIGNED_IN),
    ({WRITERS_ENV: WRITERS}, {**user("an.nguyen@soldtbxh.baclieu.gov.vn"), "is_logged_in": "true"},
     Decision.NOT_SIGNED_IN),
    # exact addresses, compared without regard to case
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn"), Decision.LISTED),
    ({WRITERS_ENV: WRITERS}, user("An.Nguyen@SoLDTBXH.BacLieu.gov.vn", verified=True), Decision.LISTED),
    ({WRITERS_ENV: WRITERS}, user("binh.le@soldtbxh.baclieu.gov.vn"), Decision.NOT_LISTED),
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn.evil.com"), Decision.NOT_LISTED),
    # whole domains: exactly that domain, no subdomain, no look-alike
    ({WRITERS_ENV: WRITERS}, user("chi@thongke.baclieu.gov.vn"), Decision.LISTED),
    ({WRITERS_ENV: WRITERS}, user("CHI@THONGKE.BACLIEU.GOV.VN"), Decision.LISTED),
    ({WRITERS_ENV: WRITERS}, user("chi@x.thongke.baclieu.gov.vn"), Decision.NOT_LISTED),
    ({WRITERS_ENV: WRITERS}, user("chi@evilthongke.baclieu.gov.vn"), Decision.NOT_LISTED),
    # an address the provider says is unverified never counts (groups still do)
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn", verified=False), Decision.UNVERIFIED),
    ({WRITERS_ENV: WRITERS}, user("chi@thongke.baclieu.gov.vn", verified="false"), Decision.UNVERIFIED),
    # anything but true (or "true") is unverified: 0, "no", "False", None-like strings; absent is verified (above)
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn", verified=0), Decision.UNVERIFIED),
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn", verified="no"), Decision.UNVERIFIED),
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn", verified=""), Decision.UNVERIFIED),
    ({WRITERS_ENV: WRITERS}, user("chi@thongke.baclieu.gov.vn", verified=" TRUE "), Decision.LISTED),
    # an address with two `@` matches no address and no domain
    ({WRITERS_ENV: WRITERS}, user("attacker@gmail.com@thongke.baclieu.gov.vn"), Decision.NOT_LISTED),
    ({WRITERS_ENV: WRITERS}, user("@thongke.baclieu.gov.vn"), Decision.NOT_LISTED),
    ({WRITERS_ENV: WRITERS}, user("x@gmail.com", verified=False, groups=["poverty-analysts"]), Decision.LISTED),
    # groups: exact names, from a list or a single name; case matters
    ({WRITERS_ENV: WRITERS}, user("x@gmail.com", groups=["staff", "poverty-analysts"]), Decision.LISTED),
    ({WRITERS_ENV: WRITERS}, user(groups="poverty-analysts"), Decision.LISTED),
    ({WRITERS_ENV: WRITERS}, user("x@gmail.com", groups=["Poverty-Analysts"]), Decision.NOT_LISTED),
    ({WRITERS_ENV: WRITERS}, user("x@gmail.com", groups=[]), Decision.NOT_LISTED),
    ({WRITERS_ENV: "group:poverty-analysts"}, user("poverty-analysts@gmail.com"), Decision.NOT_LISTED),
    # a signed-in user without any address or group
    ({WRITERS_ENV: WRITERS}, user(), Decision.NOT_LISTED),
])
def test_the_rule(env: dict[str, str], who: dict[str, object] | None, expected: Decision) -> None:
    decided = decide(env, who)
    assert decided is expected
    assert decided.allowed is (expected in (Decision.OPERATOR, Decision.LISTED))


@pytest.mark.parametrize("value", ["2", "enabled", "ja", "1 # yes", "y"])
def test_an_unknown_operator_setting_is_an_error_and_off(value: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="data.access"):
        assert decide({ALLOW_ENV: value}, None) is Decision.NOT_SIGNED_IN
    assert any(r.levelno == logging.ERROR and ALLOW_ENV in r.getMessage() and repr(value) in r.getMessage()
               for r in caplog.records)


def test_the_writers_list_keeps_what_it_understands_and_names_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    writers = Writers.parse(" A@X.vn ,, @Y.VN, group:Phan Tich , bob, @, a@b, group:, x@@y.vn ")
    assert writers.emails == {"a@x.vn"}
    assert writers.domains == {"y.vn"}
    assert writers.groups == {"Phan Tich"}
    assert writers.invalid == ("bob", "@", "a@b", "group:", "x@@y.vn")
    with caplog.at_level(logging.ERROR, logger="data.access"):
        assert decide({WRITERS_ENV: "bob, a@x.vn"}, user("a@x.vn")) is Decision.LISTED
    assert any("bob" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("env", "who", "sees"), [
    ({}, None, False),
    ({ALLOW_ENV: "1"}, None, True),  # the operator's own machine (`make run`)
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn"), True),  # may write: sees everything
    ({WRITERS_ENV: WRITERS}, user("khach@gmail.com"), False),  # signing in alone is not enough
    ({READERS_ENV: "@sokhdt.baclieu.gov.vn, group:leaders"}, user("lan@sokhdt.baclieu.gov.vn"), True),
    ({READERS_ENV: "@sokhdt.baclieu.gov.vn"}, user("lan@sokhdt.baclieu.gov.vn", verified=False), False),
    ({READERS_ENV: "group:leaders"}, user("x@gmail.com", groups=["leaders"]), True),
    ({READERS_ENV: "group:leaders"}, None, False),
])
def test_who_sees_small_cells(env: dict[str, str], who: dict[str, object] | None, sees: bool) -> None:
    assert sees_everything(env, who) is sees


def test_identity_label() -> None:
    assert Identity.from_user(user("a@x.vn", name="An")).label() == "An (a@x.vn)"  # type: ignore[union-attr]
    assert Identity.from_user(user("a@x.vn")).label() == "a@x.vn"  # type: ignore[union-attr]
    assert Identity.from_user({"is_logged_in": False, "email": "a@x.vn"}) is None


def _import_page(monkeypatch: pytest.MonkeyPatch, db: Path, env: dict[str, str], who: dict[str, object] | None,
                 auth: bool = True) -> AppTest:
    monkeypatch.setenv("POVERTY_DB", str(db))
    for name in (ALLOW_ENV, WRITERS_ENV):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    if who is not None:
        at.user = who
    return at.run()


@pytest.mark.parametrize(("env", "who", "auth", "message"), [
    ({}, None, False, tr("import.not_available")),
    ({ALLOW_ENV: "0"}, None, True, tr("import.sign_in_first")),
    ({WRITERS_ENV: WRITERS}, user("binh@gmail.com", name="Bình"), True,
     tr("import.not_on_list", who=literal("Bình (binh@gmail.com)"))),
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn", verified=False), True,
     tr("import.email_unverified", who=literal("an.nguyen@soldtbxh.baclieu.gov.vn"))),
])
def test_the_page_run_on_its_own_refuses_and_says_why(
    monkeypatch: pytest.MonkeyPatch, empty_db: Path, env: dict[str, str], who: dict[str, object] | None,
    auth: bool, message: str
) -> None:
    page = _import_page(monkeypatch, empty_db, env, who, auth)
    assert not page.exception
    assert [i.value for i in page.info] == [message]
    assert not page.file_uploader and not page.title


@pytest.mark.parametrize(("env", "who"), [
    ({ALLOW_ENV: "1"}, None),
    ({WRITERS_ENV: WRITERS}, user("an.nguyen@soldtbxh.baclieu.gov.vn")),
    ({WRITERS_ENV: WRITERS}, user("x@gmail.com", groups=["poverty-analysts"])),
])
def test_the_page_is_shown_to_a_writer(monkeypatch: pytest.MonkeyPatch, empty_db: Path, env: dict[str, str],
                                       who: dict[str, object] | None) -> None:
    page = _import_page(monkeypatch, empty_db, env, who)
    assert not page.exception
    assert not page.info and page.title[0].value == tr("import.title")
    assert len(page.file_uploader) == 1


def _reviews(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM reviews").fetchall()[0][0])
    finally:
        con.close()


def test_a_session_that_lost_the_right_after_checking_loads_nothing(
    monkeypatch: pytest.MonkeyPatch, empty_db: Path, tmp_path: Path
) -> None:
    """Checked while on the list; the operator then takes the address off the list (the server's setting, read on
    every run): pressing Load writes nothing and the page says why. Back on the list, the same session loads."""
    clear_caches()
    good = write_csv(tmp_path / "xa.csv", review_rows(8, prefix="L", year=2025)).read_bytes()
    page = _import_page(monkeypatch, empty_db, {WRITERS_ENV: "an@x.vn"}, user("an@x.vn"))
    page.file_uploader[0].set_value([("xa.csv", good, "text/csv")])
    page.run()
    assert not page.exception
    assert page.button[0].label == tr("import.load", n=1)
    monkeypatch.setenv(WRITERS_ENV, "someone.else@x.vn")
    page.button[0].click()
    page.run()
    assert not page.exception
    assert [i.value for i in page.info] == [tr("import.not_on_list", who=literal("an@x.vn"))]
    assert not page.success and not page.button
    assert _reviews(empty_db) == 0
    monkeypatch.setenv(WRITERS_ENV, "an@x.vn")
    page.run()
    page.button[0].click()
    page.run()
    assert not page.exception and not page.error
    assert page.success[0].value.startswith(literal("xa.csv: đã nạp — đọc 8 dòng, nạp 8, loại 0"))
    assert _reviews(empty_db) == 8
    clear_caches()


def test_loading_itself_refuses_a_session_that_may_not_write(
    monkeypatch: pytest.MonkeyPatch, empty_db: Path, tmp_path: Path
) -> None:
    """`load_checked`, the one function of the dashboard that writes, asks `data.access` itself, whoever calls it:
    without the operator setting and with nobody signed in it raises before opening the warehouse for writing."""
    from dashboard.importing import check_files, load_checked
    from data.access import WriteRefused

    monkeypatch.setenv("POVERTY_DB", str(empty_db))
    monkeypatch.delenv(ALLOW_ENV, raising=False)
    clear_caches()
    checks = check_files([("xa.csv", write_csv(tmp_path / "xa.csv", review_rows(
        5, prefix="R", year=2025)).read_bytes())], None)
    with pytest.raises(WriteRefused):
        load_checked(checks, accept_valid=False)
    assert _reviews(empty_db) == 0
    monkeypatch.setenv(ALLOW_ENV, "1")
    assert [r.rows_loaded for r in load_checked(checks, accept_valid=False).results] == [5]
    assert _reviews(empty_db) == 5
    clear_caches()

"""Who may write the warehouse from the dashboard: a decision made on the server, never from what the browser sends.

Two ways to be a writer, either one enough:

- `POVERTY_ALLOW_IMPORT` (operator setting): `1`, `true`, `yes` or `on` gives every visitor of THIS server the import
  page (`make run` sets it and binds Streamlit to 127.0.0.1, so only this machine reaches it). Unset, empty, `0`,
  `false`, `no` or `off`: off. Any other value is a mistake: it is logged as an error and counts as off, never on.
- A user signed in through Streamlit's `st.login` (OpenID Connect, `[auth]` in the secrets file written by
  `deploy.auth_secrets`) whose identity is on `POVERTY_WRITERS`, a comma-separated list of
    - e-mail addresses (`an.nguyen@soldtbxh.baclieu.gov.vn`), compared without regard to case;
    - whole domains (`@soldtbxh.baclieu.gov.vn`): any address whose part after `@` is exactly that domain (no
      subdomains), without regard to case;
    - groups (`group:poverty-analysts`), matched exactly (case included) against the ID token's `groups` claim (a
      list of names, or one name).
  An entry of another form is logged as an error and ignored. An empty or unset list admits nobody.

The e-mail address counts only when the ID token does not say it is unverified: an `email_verified` claim that is
anything but true (`false`, `0`, `"no"`, …; only the JSON value true or the string "true" count as verified) drops
the address from the decision, so an account whose address the provider never confirmed does not get a listed
colleague's rights; groups still count. A token without `email_verified` is taken as verified: many providers
(Microsoft Entra ID among them) omit the claim and issue only addresses they manage. Where a provider lets users type
any address unchecked, list groups instead of addresses. An address must have exactly one `@` to match anything.

Who sees small cells (`sees_small_cells`, used by `dashboard.disclosure`): a session that may write (above), or a
signed-in user on `POVERTY_READERS` (the same forms as `POVERTY_WRITERS`). Any other signed-in user — whoever the
provider lets sign in, which may be anyone with an account — sees public views, small cells hidden.

Nothing else is consulted: not the URL the browser reports (`st.context.url`), not request headers, not query
parameters. Identity comes only from Streamlit's signed identity cookie, which its OIDC callback sets and which it
accepts only from the origin of the configured `redirect_uri`; if the operator maps request headers onto identity
keys (`server.trustedUserHeaders`), the identity is ignored and an error is logged.

`decide(env, user)` is the rule on explicit inputs (tests); `can_write()`, `signed_in()`, `identity()` and
`decision()` read the process environment and `st.user` of the running session.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

ALLOW_ENV = "POVERTY_ALLOW_IMPORT"
WRITERS_ENV = "POVERTY_WRITERS"
READERS_ENV = "POVERTY_READERS"
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"", "0", "false", "no", "off"})
GROUP_PREFIX = "group:"
# The keys of `st.user` this module reads: a request header mapped onto one of them would let the browser choose it.
_IDENTITY_KEYS = frozenset({"is_logged_in", "email", "email_verified", "groups"})

_log = logging.getLogger(__name__)


class Decision(StrEnum):
    """Why a session may or may not write (the import page explains the refusals)."""

    OPERATOR = "operator"  # POVERTY_ALLOW_IMPORT is on: everyone on this server
    LISTED = "listed"  # a signed-in user whose e-mail, domain or group is on POVERTY_WRITERS
    NOT_SIGNED_IN = "not_signed_in"
    NOT_LISTED = "not_listed"  # signed in, but neither address, domain nor group is on the list
    UNVERIFIED = "unverified"  # signed in; the address would be listed, but the provider says it is unverified

    @property
    def allowed(self) -> bool:
        return self in (Decision.OPERATOR, Decision.LISTED)


class WriteRefused(PermissionError):
    """Raised by `require_write()` when this session may not write the warehouse."""


@dataclass(frozen=True)
class Identity:
    """A signed-in user as the ID token describes them."""

    email: str | None  # as the provider wrote it
    email_verified: bool  # True when the token says `email_verified` true, or says nothing about it
    groups: tuple[str, ...]
    name: str | None

    @classmethod
    def from_user(cls, user: Mapping[str, object] | None) -> Identity | None:
        """The identity in `st.user`'s mapping (`is_logged_in` plus the ID token's claims); None unless
        `is_logged_in` is exactly True."""
        if not user or user.get("is_logged_in") is not True:
            return None
        email = user.get("email")
        verified = user.get("email_verified", True)  # absent: the provider issues only addresses it manages
        unverified = not (verified is True or (isinstance(verified, str) and verified.strip().lower() == "true"))
        groups = user.get("groups")
        if isinstance(groups, str):
            groups = [groups]
        names = tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list | tuple) else ()
        name = user.get("name")
        return cls(email=email.strip() if isinstance(email, str) and email.strip() else None,
                   email_verified=not unverified, groups=names,
                   name=name.strip() if isinstance(name, str) and name.strip() else None)

    def label(self) -> str:
        """How the sidebar names the user: `Name (e-mail)`, or whichever of the two exists."""
        if self.name and self.email and self.name != self.email:
            return f"{self.name} ({self.email})"
        return self.name or self.email or ""


@dataclass(frozen=True)
class Writers:
    """The allow-list of `POVERTY_WRITERS`: lower-cased addresses and domains, groups as written."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    invalid: tuple[str, ...] = ()  # entries of no known form (ignored)

    @classmethod
    def parse(cls, text: str) -> Writers:
        """`a@x.vn, @y.vn, group:analysts` → Writers; blanks around entries and empty entries are ignored."""
        emails: set[str] = set()
        domains: set[str] = set()
        groups: set[str] = set()
        invalid: list[str] = []
        for raw in text.split(","):
            entry = raw.strip()
            if not entry:
                continue
            if entry.startswith(GROUP_PREFIX) and entry[len(GROUP_PREFIX):].strip():
                groups.add(entry[len(GROUP_PREFIX):].strip())
            elif entry.startswith("@") and _is_domain(entry[1:]):
                domains.add(entry[1:].lower())
            elif entry.count("@") == 1 and entry.split("@")[0] and _is_domain(entry.split("@")[1]):
                emails.add(entry.lower())
            else:
                invalid.append(entry)
        return cls(frozenset(emails), frozenset(domains), frozenset(groups), tuple(invalid))

    def admits_email(self, email: str) -> bool:
        """Whether the address (exactly one `@`, something before it) is listed, or its domain is."""
        address = email.strip().lower()
        local, at, domain = address.partition("@")
        if not (local and at) or "@" in domain:
            return False
        return address in self.emails or domain in self.domains

    def admits(self, who: Identity) -> bool:
        """Whether the signed-in `who` is on the list: a group, or a verified address or its domain."""
        return self.admits_groups(who.groups) or bool(who.email and who.email_verified and
                                                     self.admits_email(who.email))

    def admits_groups(self, groups: tuple[str, ...]) -> bool:
        return not self.groups.isdisjoint(groups)


def _is_domain(text: str) -> bool:
    return bool(text) and "@" not in text and not any(c.isspace() for c in text) and "." in text.strip(".")


def operator_allows(env: Mapping[str, str]) -> bool:
    """Whether `POVERTY_ALLOW_IMPORT` in `env` is on; an unknown value is logged (once per process) and is off."""
    value = env.get(ALLOW_ENV, "").strip().lower()
    if value in _ON:
        return True
    if value not in _OFF:
        _report_unknown_setting(env.get(ALLOW_ENV, ""))
    return False


def decide(env: Mapping[str, str], user: Mapping[str, object] | None) -> Decision:
    """The rule. `env` holds the settings (`POVERTY_ALLOW_IMPORT`, `POVERTY_WRITERS`); `user` is the session's
    `st.user` as a mapping (None, or without `is_logged_in` True, for nobody signed in)."""
    if operator_allows(env):
        return Decision.OPERATOR
    who = Identity.from_user(user)
    if who is None:
        return Decision.NOT_SIGNED_IN
    writers = Writers.parse(env.get(WRITERS_ENV, ""))
    if writers.invalid:
        _report_invalid_entries(WRITERS_ENV, writers.invalid)
    if writers.admits_groups(who.groups):
        return Decision.LISTED
    if who.email and writers.admits_email(who.email):
        return Decision.LISTED if who.email_verified else Decision.UNVERIFIED
    return Decision.NOT_LISTED


def sees_everything(env: Mapping[str, str], user: Mapping[str, object] | None) -> bool:
    """The small-cell rule's exemption on explicit inputs: a session that may write (`decide`), or a signed-in user on
    `POVERTY_READERS`. Everyone else, signed in or not, sees small cells hidden (`dashboard.disclosure`)."""
    if decide(env, user).allowed:
        return True
    who = Identity.from_user(user)
    if who is None:
        return False
    readers = Writers.parse(env.get(READERS_ENV, ""))
    if readers.invalid:
        _report_invalid_entries(READERS_ENV, readers.invalid)
    return readers.admits(who)


@cache
def _report_unknown_setting(value: str) -> None:
    _log.error("%s=%r is not one of 1/true/yes/on or 0/false/no/off: importing stays OFF on this server",
               ALLOW_ENV, value)


@cache
def _report_invalid_entries(setting: str, entries: tuple[str, ...]) -> None:
    _log.error("%s: ignored entries %s (an entry is a@domain, @domain or group:NAME)", setting, list(entries))


# --- the running session -----------------------------------------------------------------------------------------

_no_secrets: tuple[tuple[str, bool], ...] | None = None  # the secrets files looked for when none was found


def auth_configured() -> bool:
    """Whether sign-in is set up: the secrets Streamlit reads (config `secrets.files`) have an `[auth]` section.

    Asked for every cached figure and table (their keys hold the sign-in state): where no secrets file exists,
    Streamlit would try to open every file again on each call, so "none" is remembered until one of the files
    appears (one `os.path.exists` per file instead)."""
    global _no_secrets
    import streamlit as st
    from streamlit import config

    if getattr(st.secrets, "_secrets", None) is None:  # not loaded (secrets set by a test are loaded)
        files = tuple((str(f), os.path.exists(f)) for f in config.get_option("secrets.files") or ())
        if files == _no_secrets:
            return False
    else:
        files = None
    try:
        return isinstance(st.secrets.get("auth"), Mapping)
    except FileNotFoundError:  # no secrets file at all (Streamlit's StreamlitSecretNotFoundError)
        if files is not None and not any(found for _, found in files):
            _no_secrets = files
        return False


def _session_user() -> Mapping[str, object] | None:
    """`st.user` of the running session as a mapping; None outside a session, without `[auth]`, or when request
    headers could set identity keys."""
    try:
        from streamlit import config
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return None
    if get_script_run_ctx() is None or not auth_configured():
        return None
    mapped = config.get_option("server.trustedUserHeaders")
    if isinstance(mapped, Mapping) and _IDENTITY_KEYS & {str(v) for v in mapped.values()}:
        _report_header_identity(tuple(sorted(str(k) for k in mapped)))
        return None
    import streamlit as st

    return dict(st.user.to_dict())


@cache
def _report_header_identity(headers: tuple[str, ...]) -> None:
    _log.error("server.trustedUserHeaders maps request headers %s onto identity keys: sign-in is ignored for "
               "writing (a browser could send them)", list(headers))


def decision() -> Decision:
    """The rule for this session: the process environment and the session's signed-in user."""
    return decide(os.environ, _session_user())


def can_write() -> bool:
    """The server's decision: may this session import into the warehouse?"""
    return decision().allowed


def require_write() -> None:
    """Raise `WriteRefused` unless this session may write; call right before writing."""
    found = decision()
    if not found.allowed:
        raise WriteRefused(f"writing refused: {found.value}")


def identity() -> Identity | None:
    """The signed-in user of this session (None when nobody is, or sign-in is not configured)."""
    return Identity.from_user(_session_user())


def sees_small_cells() -> bool:
    """Whether this session sees figures from fewer than N households (`sees_everything` on the process environment
    and the session's signed-in user)."""
    return sees_everything(os.environ, _session_user())


def signed_in() -> bool:
    """Whether a user is signed in through `st.login` in this session; False without `[auth]` or outside Streamlit."""
    return identity() is not None

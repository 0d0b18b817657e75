"""A Streamlit client at the protocol level (no browser), as the browser's own code does it: open the page and its
health check over HTTP (the proxy's sticky cookie and Streamlit's XSRF cookie come back), open the websocket
`/_stcore/stream` with those cookies, ask for a script run of the page and its query string (a `BackMsg` with
`rerun_script`), and read the `ForwardMsg`s until the script run ends. Shared by the deployment tests and the load
benchmark (bench/bench_load.py). Nothing here imports pytest. Loopback addresses only.
"""

from __future__ import annotations

import asyncio
import http.client
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus, WebSocketException

XSRF_COOKIE = "_streamlit_xsrf"
PLACEHOLDER_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the browser sends when it has no XSRF cookie
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


T = TypeVar("T")


@dataclass
class Visit:
    """What one visit saw. Times in seconds from the start of the visit (before the HTTP request).

    `outcome`: "finished" (the script run ended normally), "error" (an exception element, an st.error box or "page
    not found" was sent), "refused" (HTTP or websocket handshake refused), "timeout", "closed" (the connection
    ended before the run did).
    """

    outcome: str = "timeout"
    first_chart: float | None = None
    finished: float | None = None
    session_id: str | None = None
    status: int | None = None  # HTTP status of the page request
    errors: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)  # element types in the order they arrived
    cookies: dict[str, str] = field(default_factory=dict)
    detail: str = ""
    held: Any = None  # what `while_open` returned


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def get_page(url: str, cookies: dict[str, str], headers: dict[str, str] | None = None,
             timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """GET `url` (loopback only) with `cookies`; return (status, the cookies it set, body)."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"{url}: loopback addresses only")
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        sent = dict(headers or {})
        if cookies:
            sent["Cookie"] = _cookie_header(cookies)
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else "") or "/", headers=sent)
        response = conn.getresponse()
        body = response.read()
        set_cookies = {}
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            set_cookies[name.strip()] = rest.split(";", 1)[0].strip()
        return response.status, set_cookies, body
    finally:
        conn.close()


def rerun_message(url: str, base_path: str = "") -> bytes:
    """The `BackMsg` a browser sends to run the page of `url` (its path after `base_path`, its query string)."""
    parts = urlsplit(url)
    path = parts.path.removeprefix(base_path.rstrip("/")).strip("/")
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = parts.query
    state.page_script_hash = ""
    state.page_name = path
    state.context_info.url = url
    state.context_info.timezone = "Asia/Ho_Chi_Minh"
    state.context_info.timezone_offset = -420
    state.context_info.locale = "vi-VN"
    state.context_info.is_embedded = False
    state.context_info.color_scheme = "light"
    return msg.SerializeToString()


async def visit(url: str, *, base_path: str = "", cookies: dict[str, str] | None = None,
                resume_session: str | None = None, origin: str | None = None, timeout: float = 60.0,
                stop_at_first_chart: bool = False, while_open: Callable[[str], Any] | None = None) -> Visit:
    """Open `url` like a browser and follow the script run (see the module docstring).

    `cookies`: a jar kept across visits (updated in place with what the server sets). `resume_session`: a session
    id to reconnect to, as a browser does after a dropped connection. `origin`: the Origin header of the websocket
    (default: the origin of `url`, as a browser on that page sends it). `base_path`: Streamlit's
    `server.baseUrlPath` (`/analyst`). `while_open(session_id)`: called (in a thread) after the run finished, while
    the websocket is still open and the session active; its result is `Visit.held`.
    """
    jar = {} if cookies is None else cookies
    result = Visit(cookies=jar)
    started = time.perf_counter()
    parts = urlsplit(url)
    own_origin = f"{parts.scheme}://{parts.netloc}"
    health = f"{own_origin}{base_path.rstrip('/')}/_stcore/health"
    for address in (url, health):  # the page, then (as the browser's code does) the health check
        try:
            status, set_cookies, _ = await asyncio.to_thread(get_page, address, dict(jar), None, timeout)
        except OSError as exc:
            result.outcome, result.detail = "refused", f"{address}: {exc}"
            return result
        result.status = result.status or status
        jar.update(set_cookies)
        if status != 200:
            result.outcome, result.detail = "refused", f"{address}: HTTP {status}"
            return result
    stream = f"ws://{parts.netloc}{base_path.rstrip('/')}/_stcore/stream"
    protocols = ["streamlit", jar.get(XSRF_COOKIE, PLACEHOLDER_TOKEN)] + ([resume_session] if resume_session else [])
    headers = {"Origin": origin or own_origin}
    if jar:
        headers["Cookie"] = _cookie_header(jar)
    try:
        async with asyncio.timeout(timeout):
            async with connect(stream, subprotocols=protocols, additional_headers=headers, max_size=None,
                               open_timeout=timeout, compression=None, ping_interval=None) as ws:
                await ws.send(rerun_message(url, base_path))
                async for raw in ws:
                    msg = ForwardMsg.FromString(raw)
                    kind = msg.WhichOneof("type")
                    if kind == "new_session":
                        result.session_id = msg.new_session.initialize.session_id
                    elif kind == "page_not_found":
                        result.errors.append(f"page not found: {msg.page_not_found.page_name}")
                    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                        element = msg.delta.new_element
                        etype = element.WhichOneof("type")
                        result.elements.append(etype)
                        if etype == "plotly_chart" and result.first_chart is None:
                            result.first_chart = time.perf_counter() - started
                            if stop_at_first_chart and not result.errors:
                                result.outcome = "chart"
                                return result
                        elif etype == "exception":
                            result.errors.append(f"exception: {element.exception.message[:200]}")
                        elif etype == "alert" and element.alert.format == Alert.ERROR:
                            result.errors.append(f"error box: {element.alert.body[:200]}")
                    elif kind == "script_finished" and msg.script_finished in (
                            ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                        result.finished = time.perf_counter() - started
                        if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                            result.errors.append("compile error")
                        result.outcome = "error" if result.errors else "finished"
                        if while_open is not None and result.session_id:
                            result.held = await asyncio.to_thread(while_open, result.session_id)
                        return result
                result.outcome = "error" if result.errors else "closed"
    except TimeoutError:
        result.outcome = "error" if result.errors else "timeout"
    except InvalidStatus as exc:
        result.outcome, result.detail = "refused", f"websocket: HTTP {exc.response.status_code}"
    except (WebSocketException, OSError) as exc:
        result.outcome, result.detail = ("error" if result.errors else "closed"), f"websocket: {exc!r}"
    return result


def in_own_thread(run: Callable[[], T]) -> T:
    """`run()` in a new thread, its exception re-raised here. Playwright's sync API and `asyncio.run` refuse to start
    in a thread where an event loop is running, as it is in a test process whose browser tests (tests/browser) keep a
    session-wide Playwright open."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def visit_sync(url: str, **kwargs: object) -> Visit:
    """`visit` for code that is not async (the tests), on its own event loop in its own thread."""
    return in_own_thread(lambda: asyncio.run(visit(url, **kwargs)))  # type: ignore[arg-type]


def upload(base_url: str, session_id: str, cookies: dict[str, str], content: bytes = b"a,b\n1,2\n", *,
           xsrf: str | None = None, origin: str | None = None, declared_length: int | None = None,
           timeout: float = 30.0) -> int:
    """PUT one file to `/_stcore/upload_file/<session>/<file id>` as the browser's file uploader does; return the
    HTTP status (204 stored, 400 unknown session, 403 refused, 413 too large).

    `xsrf`: the X-Xsrftoken header (the browser copies the `_streamlit_xsrf` cookie; default: that cookie, if any).
    `declared_length`: send only the headers, claiming a body of this many bytes, and read the answer (a server
    that checks the declared size answers before any body arrives).
    """
    parts = urlsplit(base_url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"{base_url}: loopback addresses only")
    boundary = "----povertyboundary7MA4YWxkTrZu0gW"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"UploadedFile\"; filename=\"reviews.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
               "Content-Length": str(declared_length if declared_length is not None else len(body))}
    token = xsrf if xsrf is not None else cookies.get(XSRF_COOKIE)
    if token:
        headers["X-Xsrftoken"] = token
    if origin:
        headers["Origin"] = origin
    if cookies:
        headers["Cookie"] = _cookie_header(cookies)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.putrequest("PUT", f"{parts.path.rstrip('/')}/_stcore/upload_file/{session_id}/file-1")
        for name, value in headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        if declared_length is None:
            conn.send(body)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()

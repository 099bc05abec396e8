"""The one module that speaks HTTP to a PrestaShop Webservice (``https://SHOP/api/``).

It authenticates with the shop's 32-character key, applies timeouts, retries 5xx answers and
network errors a bounded number of times with exponential backoff (never 4xx), reads XML or
JSON, writes XML, pages with ``limit=offset,count``, and turns error bodies into
:class:`~.errors.PrestaShopError` carrying PrestaShop's codes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from .codec import (
    Decoded,
    decode_json,
    decode_xml,
    describe_body,
    encode_record,
    looks_like_html,
    parse_xml,
)
from .errors import (
    ApiErrorItem,
    MalformedResponse,
    NotPrestaShopAnswer,
    PrestaShopAuthError,
    PrestaShopError,
    PrestaShopTransportError,
    PrestaShopVersionError,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 20.0
MAX_BODY_BYTES = 64 * 1024 * 1024
WEBSERVICE_DISABLED = 22


def one_of(values: Sequence[object]) -> str:
    """Filter value matching any of ``values``: ``[1|5|9]``."""
    return "[" + "|".join(str(v) for v in values) + "]"


def between(low: object, high: object) -> str:
    """Filter value for an inclusive range: ``[low,high]`` (dates as ``YYYY-MM-DD HH:MM:SS``)."""
    return f"[{low},{high}]"


def api_root(url: str) -> str:
    """Normalise a shop URL to its Webservice root, ending in ``/api/``.

    Raises
    ------
    ValueError
        If ``url`` is not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"PrestaShop URL {url!r} is not an absolute http(s) URL.")
    path = parts.path.rstrip("/")
    if not path.endswith("/api"):
        path += "/api"
    return f"{parts.scheme}://{parts.netloc}{path}/"


def version_tuple(version: str | None) -> tuple[int, ...]:
    """``"8.1.2"`` -> ``(8, 1, 2)``; unknown or garbled versions give ``()``."""
    numbers = []
    for part in (version or "").split("."):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


class PrestaShopClient:
    """HTTP client for one shop's Webservice.

    Parameters
    ----------
    url : str
        Shop URL (``https://shop.example`` or ``https://shop.example/api/``).
    key : str
        The Webservice key (32 characters). Sent as the Basic-auth user with an empty password,
        or as ``ws_key`` when ``auth="query"``.
    output_format : {"XML", "JSON"}
        Format of reads. Writes are always XML, the only input format PrestaShop accepts.
    timeout : float
        Connect/read timeout per request, seconds.
    max_attempts : int
        Tries per request on 5xx or network errors (1 means no retry).
    backoff_s : float
        First pause between tries, seconds; doubled after each failure, capped at 30 s.
    transport : httpx.BaseTransport, optional
        For tests that need a custom transport; the default is real sockets.
    sleep : callable
        ``time.sleep`` by default; injectable so tests don't wait.
    """

    def __init__(
        self,
        url: str,
        key: str,
        *,
        output_format: str = "XML",
        auth: str = "basic",
        timeout: float = DEFAULT_TIMEOUT_S,
        max_attempts: int = 4,
        backoff_s: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if output_format.upper() not in {"XML", "JSON"}:
            raise ValueError(f"output_format must be XML or JSON, not {output_format!r}.")
        if auth not in {"basic", "query"}:
            raise ValueError(f"auth must be 'basic' or 'query', not {auth!r}.")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}.")
        self.root = api_root(url)
        self.output_format = output_format.upper()
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self._sleep = sleep
        self._key = key
        self._auth = auth
        self._http = httpx.Client(
            base_url=self.root,
            auth=httpx.BasicAuth(key, "") if auth == "basic" else None,
            timeout=httpx.Timeout(timeout),
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": "mormal-prestashop-bridge/1.0"},
        )
        self.version: str | None = None
        self.request_count = 0

    # ----------------------------------------------------------------------------- plumbing

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> PrestaShopClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, path: str, params: dict[str, Any], body: bytes | None) -> tuple[int, bytes, str]:
        """Send with retries; return ``(status, body, safe_url)`` of the final answer."""
        if self._auth == "query":
            params = {**params, "ws_key": self._key}
        safe_url = self.root + path
        delay = self.backoff_s
        for attempt in range(1, self.max_attempts + 1):
            self.request_count += 1
            try:
                with self._http.stream(
                    method,
                    path,
                    params=params,
                    content=body,
                    headers={"Content-Type": "text/xml; charset=utf-8"} if body is not None else None,
                ) as response:
                    if "PSWS-Version" in response.headers:
                        self.version = response.headers["PSWS-Version"]
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > MAX_BODY_BYTES:
                            raise MalformedResponse(f"body larger than {MAX_BODY_BYTES} bytes", safe_url)
                        chunks.append(chunk)
                    status, data = response.status_code, b"".join(chunks)
            except httpx.TransportError as exc:
                failure: PrestaShopError = PrestaShopTransportError(
                    None, [ApiErrorItem(None, f"{type(exc).__name__}: {exc}")], safe_url, reason=self._why(exc)
                )
            else:
                if status < 500:
                    return status, data, safe_url
                failure = self._error(status, data, safe_url)
                if WEBSERVICE_DISABLED in failure.codes:  # 503 code 22: a setting, not a hiccup
                    raise failure
            if attempt == self.max_attempts:
                if isinstance(failure, PrestaShopTransportError):
                    raise failure
                raise PrestaShopTransportError(failure.status, failure.errors, safe_url)
            log.warning("PrestaShop %s %s failed (%s); retry %d/%d in %.1fs",
                        method, safe_url, failure, attempt, self.max_attempts - 1, delay)
            self._sleep(delay)
            delay = min(delay * 2, 30.0)
        raise AssertionError("unreachable")

    def _why(self, exc: httpx.TransportError) -> str:
        """The network failure in a few words (named in the error: "did not answer (connection refused)")."""
        words = str(exc).lower()
        if isinstance(exc, httpx.TimeoutException):
            return f"no answer within {self._http.timeout.read or self._http.timeout.connect} s"
        if isinstance(exc, httpx.ConnectError) and "refused" in words:
            return "connection refused"
        if isinstance(exc, httpx.ConnectError) and ("name or service" in words or "nodename" in words
                                                    or "getaddrinfo" in words or "name resolution" in words):
            return "host name not found"
        return f"connection failed: {type(exc).__name__}: {exc}"

    def _decode(self, data: bytes, *, many: bool, url: str, status: int | None = 200) -> Decoded:
        """Decode an answer: XML when it starts with ``<``, else JSON when JSON was asked for or it parses.

        Raises
        ------
        NotPrestaShopAnswer
            For an empty body, an HTML page, a JSON scalar, XML without the ``prestashop`` root.
        MalformedResponse
            When XML or JSON could not be parsed.
        """
        stripped = data.lstrip()
        if stripped[:1] == b"<" or not stripped:
            return decode_xml(data, many=many, url=url, status=status)
        if self.output_format == "JSON" or stripped[:1] in (b"{", b"["):
            return decode_json(data, many=many, url=url, status=status)
        raise NotPrestaShopAnswer(status, describe_body(data), url)

    def _error(self, status: int, data: bytes, url: str) -> PrestaShopError:
        try:
            errors = self._decode(data, many=False, url=url, status=status).errors
        except (MalformedResponse, NotPrestaShopAnswer):
            errors = []
        if not errors:
            errors = [ApiErrorItem(None, describe_body(data))]
        cls = PrestaShopAuthError if status == 401 else PrestaShopError
        return cls(status, errors, url)

    def _call(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: bytes | None = None,
        *, many: bool = False, expect: tuple[int, ...] = (200,),
    ) -> Decoded:
        params = dict(params or {})
        if method == "GET" and self.output_format == "JSON":
            params["output_format"] = "JSON"
        status, data, url = self._send(method, path, params, body)
        if status not in expect:
            raise self._error(status, data, url)
        if method == "DELETE" and not data.strip():
            return Decoded()
        decoded = self._decode(data, many=many, url=url, status=status)
        if decoded.errors:
            raise PrestaShopError(status, decoded.errors, url)
        return decoded

    # -------------------------------------------------------------------------------- reads

    def get_list(
        self,
        resource: str,
        *,
        display: str | None = "full",
        filters: dict[str, str] | None = None,
        sort: str | None = None,
        offset: int | None = None,
        count: int | None = None,
        date: bool = False,
        language: int | None = None,
    ) -> list[dict[str, Any]]:
        """Read one list request: ``GET /api/<resource>?display=..&filter[..]=..&limit=..``.

        Parameters
        ----------
        display : str or None
            ``"full"``, ``"[id,name]"``, or ``None`` for ids only.
        filters : dict
            Field name to filter value, e.g. ``{"id_product": one_of([1, 2])}``.
        sort : str
            e.g. ``"[id_ASC]"``.
        offset, count : int
            Sent as ``limit=offset,count`` when ``count`` is given.
        date : bool
            Send ``date=1``, required to filter on ``date_add``/``date_upd``.

        Raises
        ------
        PrestaShopError
            With PrestaShop's codes; :class:`PrestaShopAuthError` on 401.
        MalformedResponse
            If the body is not safe, parsable XML/JSON.
        """
        params: dict[str, Any] = {}
        if display:
            params["display"] = display
        for name, value in (filters or {}).items():
            params[f"filter[{name}]"] = value
        if sort:
            params["sort"] = sort
        if count is not None:
            params["limit"] = f"{offset or 0},{count}"
        if date:
            params["date"] = 1
        if language is not None:
            params["language"] = language
        return self._call("GET", resource, params, many=True).records

    def iter_pages(
        self, resource: str, *, page_size: int = 100, start: int = 0, **kwargs: Any
    ) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """Yield ``(offset, records)`` pages until a short or empty page.

        ``sort`` defaults to ``[id_ASC]`` so that pages are stable between requests.
        """
        if page_size < 1:
            raise ValueError(f"page_size must be positive, not {page_size}.")
        kwargs.setdefault("sort", "[id_ASC]")
        offset = start
        while True:
            records = self.get_list(resource, offset=offset, count=page_size, **kwargs)
            yield offset, records
            if len(records) < page_size:
                return
            offset += page_size

    def get_record(self, resource: str, record_id: int | str, *, display: str | None = None) -> dict[str, Any]:
        """Read one record: ``GET /api/<resource>/<id>``.

        Raises
        ------
        PrestaShopError
            404 for an unknown id.
        """
        params = {"display": display} if display else {}
        records = self._call("GET", f"{resource}/{record_id}", params).records
        if not records:
            raise PrestaShopError(404, [ApiErrorItem(None, "empty record")], self.root + f"{resource}/{record_id}")
        return records[0]

    def blank(self, resource: str) -> dict[str, Any]:
        """Read the empty template of a record (``?schema=blank``), to fill before a POST."""
        records = self._call("GET", resource, {"schema": "blank"}).records
        return records[0] if records else {}

    def probe(self) -> str | None:
        """``GET /api/``: check that this is a Webservice root, the key, and learn the version.

        A real root answers ``<prestashop><api shopName="…">`` with the resources the key may
        use; anything else (an HTML page, an empty 200, another XML) is not a PrestaShop shop.

        Raises
        ------
        PrestaShopAuthError
            When the key is refused, naming PrestaShop's code (16, 17, 18, 20 or 21).
        NotPrestaShopAnswer
            When the answer is not a Webservice root; the message says what came back.
        """
        status, data, url = self._send("GET", "", {}, None)
        if status >= 400:
            raise self._error(status, data, url)
        if looks_like_html(data) or data.lstrip()[:1] != b"<":
            raise NotPrestaShopAnswer(status, describe_body(data), url)
        try:
            root = parse_xml(data, url)
        except MalformedResponse as exc:
            raise NotPrestaShopAnswer(status, f"{describe_body(data)}, {exc.errors[0].message}", url) from exc
        if root.tag != "prestashop":
            raise NotPrestaShopAnswer(status, f"XML whose root is <{root.tag}>, not <prestashop>", url)
        if root.find("api") is None:
            raise NotPrestaShopAnswer(status, f"<prestashop> XML without the Webservice root's <api> element "
                                              f"({describe_body(data)})", url)
        return self.version

    def detect_version(self) -> str | None:
        """Return the ``PSWS-Version`` header, asking ``HEAD /api/`` once if still unknown."""
        if self.version is None:
            self._send("HEAD", "", {}, None)
        return self.version

    # ------------------------------------------------------------------------------- writes

    def create(self, resource: str, fields: dict[str, Any]) -> dict[str, Any]:
        """POST a new record (without ``id``) and return the created record, with its id.

        Raises
        ------
        PrestaShopError
            400 with code 91 if ``fields`` holds an id, 41 if a required field is missing.
        """
        body = encode_record(resource, fields)
        records = self._call("POST", resource, body=body, expect=(200, 201)).records
        return records[0] if records else {}

    def update(self, resource: str, record_id: int | str, fields: dict[str, Any]) -> dict[str, Any]:
        """PUT a whole record (the id is added to the body, as PrestaShop requires)."""
        body = encode_record(resource, {"id": str(record_id), **{k: v for k, v in fields.items() if k != "id"}})
        records = self._call("PUT", f"{resource}/{record_id}", body=body).records
        return records[0] if records else {}

    def patch(self, resource: str, record_id: int | str, fields: dict[str, Any]) -> dict[str, Any]:
        """PATCH only ``fields`` of a record (PrestaShop 8 and later).

        Raises
        ------
        PrestaShopVersionError
            If the shop announced a version before 8.
        """
        major = version_tuple(self.detect_version())[:1]
        if major and major[0] < 8:
            raise PrestaShopVersionError(
                None, [ApiErrorItem(None, f"PATCH needs PrestaShop 8 or later, shop runs {self.version}")], self.root
            )
        body = encode_record(resource, {"id": str(record_id), **fields})
        records = self._call("PATCH", f"{resource}/{record_id}", body=body).records
        return records[0] if records else {}

    def delete(self, resource: str, ids: Sequence[int | str]) -> None:
        """DELETE one record, or several with ``?id=[1,2]``."""
        if len(ids) == 1:
            self._call("DELETE", f"{resource}/{ids[0]}")
        else:
            self._call("DELETE", resource, {"id": "[" + ",".join(str(i) for i in ids) + "]"})

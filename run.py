#!/usr/bin/env python3
"""Bootstrap a virtual environment, then run the demo or the test suite.

    python3 run.py demo     # install, start embedded PostgreSQL, migrate, seed, serve :8000
    python3 run.py test     # install dev dependencies, run the whole suite on PostgreSQL

Only the standard library is used here: this file runs before anything is installed.
The environment lives in ``.venv`` and is reinstalled only when the lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCKS = {"demo": ROOT / "requirements" / "base.txt", "test": ROOT / "requirements" / "dev.txt"}
UV_VERSION = "0.13.9"


def venv_python() -> Path:
    """Path of the virtual environment's interpreter."""
    return VENV / "bin" / "python"


def ensure_venv(lock: Path) -> None:
    """Create ``.venv`` and install ``lock`` into it unless it is already installed."""
    # This file runs on whatever python3 a person has: an old one gets a sentence, not a traceback.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not venv_python().exists():
        print(f"[run] creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    digest = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{lock.stem}-{digest}"
    if stamp.exists():
        return
    print(f"[run] installing {lock.relative_to(ROOT)} (first run takes a few minutes)", flush=True)
    uv = VENV / "bin" / "uv"
    if not uv.exists():
        subprocess.run([str(venv_python()), "-m", "pip", "install", "-q", f"uv=={UV_VERSION}"], check=True)
    subprocess.run([str(uv), "pip", "install", "--python", str(venv_python()), "-q", "-r", str(lock)], check=True)
    subprocess.run(
        [str(uv), "pip", "install", "--python", str(venv_python()), "-q", "--no-deps", "-e", str(ROOT)],
        check=True,
    )
    for old in VENV.glob(f".installed-{lock.stem}-*"):
        old.unlink()
    stamp.touch()


def ensure_chromium() -> None:
    """Install Debian's Chromium for the browser tests when it is missing and we are root."""
    if shutil.which("chromium") or os.environ.get("MORMAL_SKIP_CHROMIUM_INSTALL"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("[run] installing Debian's chromium for the browser tests", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "poppler-utils"], check=False, env=env)


def main(argv: list[str]) -> int:
    """Dispatch ``demo`` or ``test``; extra arguments go to the demo server or to pytest."""
    if not argv or argv[0] not in LOCKS:
        print(__doc__)
        return 2
    mode, rest = argv[0], argv[1:]
    ensure_venv(LOCKS[mode])
    if mode == "test":
        ensure_chromium()
    os.chdir(ROOT)
    cmd = [str(venv_python()), "-m", "marketplace.launcher", mode, *rest]
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

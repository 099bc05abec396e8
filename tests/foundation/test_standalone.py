"""The repository stands alone: what the code, tests and docs need is inside it."""

import os
import re
from pathlib import Path

from delivery.bench.instances import PUBLIC_INSTANCES
from marketplace.saleor.schema import NOTE_FILE, SCHEMA_FILE, saleor_schema

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".git", ".venv", ".demo", ".cache", "node_modules", "__pycache__", "staticfiles", "media"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ".yml", ".yaml", ".html", ".js", ".sh", ""}
SHELF = "sha" + "red"  # the team's reference shelf beside the clone (spelled apart so this file passes)
READS_THE_SHELF = re.compile(
    rf"\.\./{SHELF}\b|/work/{SHELF}\b|/\s*[\"']{SHELF}[\"']\s*/|[\"']\.\.[\"']\s*/\s*[\"']{SHELF}[\"']"
)


def _project_files():
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.endswith((".egg-info", "_cache"))]
        for name in files:
            path = Path(folder) / name
            if path.suffix in TEXT_SUFFIXES:
                yield path


def test_no_code_test_or_doc_reaches_outside_the_repository():
    offenders = []
    for path in _project_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(text.splitlines(), 1)
                      if READS_THE_SHELF.search(line)]
    assert offenders == []


def test_the_pattern_catches_the_ways_a_path_to_the_shelf_gets_written():
    for line in [f"INSTANCES = ROOT / '..' / '{SHELF}' / 'bench'", f"see ../{SHELF}/saleor/schema.graphql",
                 f'REPO.parent / "{SHELF}" / "saleor"', f"open('/work/{SHELF}/x')"]:
        assert READS_THE_SHELF.search(line), line
    assert not READS_THE_SHELF.search("from celery import shared_task; shared_client()")


def test_saleors_schema_and_its_note_are_in_the_repository():
    assert SCHEMA_FILE.is_relative_to(ROOT) and NOTE_FILE.is_relative_to(ROOT)
    assert "Saleor 3.23" in NOTE_FILE.read_text(encoding="utf-8")
    assert {"checkoutCreate", "createWarehouse"} <= set(saleor_schema().mutation_type.fields)


def test_every_public_instance_is_in_the_repository_with_its_best_known_solution():
    assert PUBLIC_INSTANCES.is_relative_to(ROOT)
    expected = {"solomon": (".txt", ".sol", 10), "lilim": (".txt", ".sintef.sol", 3), "x": (".vrp", ".sol", 2)}
    for family, (suffix, bks_suffix, count) in expected.items():
        instances = sorted((PUBLIC_INSTANCES / family).glob(f"*{suffix}"))
        assert len(instances) == count, family
        for instance in instances:
            assert instance.with_name(instance.name.removesuffix(suffix) + bks_suffix).is_file(), instance
    sources = (PUBLIC_INSTANCES / "SOURCES.md").read_text(encoding="utf-8")
    assert all(word in sources for word in ("MIT", "Unlicense", "solomon/", "lilim/", "x/"))

"""The demo's seeders, in order. Each is an idempotent callable ``run(stdout) -> None``.

Apps add their dotted path here; ``manage.py seed_demo`` runs them all, every demo start.
"""

SEEDERS: list[str] = [
    "marketplace.territory.seed.run",
    "marketplace.storefront.seed.run",
    "delivery.seed.run",
    "marketplace.indicators.seed.run",
    "shortcircuit.seed.run",
]

# Demo accounts printed by ``seed_demo --accounts`` and shown on the home page: (role, login, password).
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("Équipe (staff)", "equipe", "mormal-equipe-2026"),
    ("Client (client01..client60)", "client01", "mormal-client-2026"),
]

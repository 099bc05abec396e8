"""The demo's seeders, in order. Each is an idempotent callable ``run(stdout) -> None``.

Apps add their dotted path here; ``manage.py seed_demo`` runs them all, every demo start.
"""

SEEDERS: list[str] = [
    "marketplace.territory.seed.run",
    "marketplace.vendors.seed.run",
    "marketplace.storefront.seed.run",
    "delivery.seed.run",
    "marketplace.indicators.seed.run",
    "marketplace.evaluation.seed.run",
    "shortcircuit.seed.run",
]

# Demo accounts printed by ``seed_demo --accounts`` and shown on the home page: (role, login, password).
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    ("Équipe (staff)", "equipe", "mormal-equipe-2026"),
    ("Client (client01..client60)", "client01", "mormal-client-2026"),
    ("Vendeur : Au Fournil du Quesnoy", "boulangerie", "mormal-vendeur-2026"),
    ("Vendeur : Boucherie Delattre", "boucherie", "mormal-vendeur-2026"),
    ("Vendeur : Fromagerie de l'Abbaye (Maroilles)", "fromagerie", "mormal-vendeur-2026"),
    ("Vendeur : L'Épicerie de la Sambre", "epicerie", "mormal-vendeur-2026"),
    ("Vendeur : Les Jardins de Jolimetz", "maraicher", "mormal-vendeur-2026"),
    ("Vendeur : Ferme du Bois de Mormal", "fermelaitiere", "mormal-vendeur-2026"),
    ("Vendeur : Volailles du Poix", "volailles", "mormal-vendeur-2026"),
    ("Vendeur : Le Rucher de la Forêt", "apiculteur", "mormal-vendeur-2026"),
    ("Vendeur : L'Atelier du Chêne", "artisan", "mormal-vendeur-2026"),
    ("Vendeur : Les Vergers de l'Avesnois", "vergers", "mormal-vendeur-2026"),
]

"""Links shown on the home page, one per area of the platform (apps add theirs here)."""

HOME_LINKS: list[dict[str, str]] = [
    {"url": "/boutique/", "label": "Faire mes courses"},
    {"url": "/circuit-court/", "label": "Commander aux producteurs (circuit court)"},
    {"url": "/livraison/", "label": "Tournées de la camionnette (équipe)"},
    {"url": "/pilotage/indicateurs/", "label": "Indicateurs du territoire (équipe)"},
    {"url": "/vendeur/", "label": "Espace vendeur"},
    {"url": "/vendeur/gestion/", "label": "Vendeurs et invitations (équipe)"},
    {"url": "/pilotage/taches-en-echec/", "label": "Tâches en échec (équipe)"},
    {"url": "/pilotage/cheques-cadeaux/", "label": "Chèques cadeaux du Pays de Mormal (équipe)"},
    {"url": "/admin/", "label": "Administration (équipe)"},
]

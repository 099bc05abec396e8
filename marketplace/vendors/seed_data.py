"""The demo's vendors and catalogues: real-looking shops and farms of the Pays de Mormal.

Each product is ``(name, category, temperature, origin, unit, vat, [(variant, price TTC €,
items per unit, stock)], description)``. Prices are plausible 2026 local-shop prices.
"""

DEMO_PASSWORD = "mormal-vendeur-2026"

_BAKERY_HOURS = {d: [["06:30", "13:00"], ["15:00", "19:30"]] for d in ("2", "3", "4", "5", "6")} | {"7": [["07:00", "12:30"]]}
_SHOP_HOURS = {d: [["08:30", "12:30"], ["14:30", "19:00"]] for d in ("2", "3", "4", "5", "6")}
_FARM_HOURS = {"3": [["16:00", "19:00"]], "5": [["16:00", "19:00"]], "6": [["09:00", "12:00"]]}

VENDORS = [
    {
        "slug": "fournil-du-quesnoy", "login": "boulangerie", "name": "Au Fournil du Quesnoy", "kind": "merchant",
        "legal_name": "SARL Fournil du Quesnoy", "commune": "Le Quesnoy", "address": "12 rue Casimir Fournier",
        "hours": _BAKERY_HOURS, "collect": True, "commission": "8.00", "siren": "812345678",
        "products": [
            ("Baguette de tradition", "boulangerie", "ambient", "shop", "unit", "5.50", [("La baguette (250 g)", "1.30", "1", 60)], "Farine Label Rouge, levain, cuite au four à sole."),
            ("Pain de campagne", "boulangerie", "ambient", "shop", "kg", "5.50", [("750 g", "3.60", "0.75", 20), ("1,5 kg", "6.90", "1.5", 8)], "Au levain naturel, croûte épaisse."),
            ("Pain aux céréales", "boulangerie", "ambient", "shop", "kg", "5.50", [("500 g", "3.40", "0.5", 15)], "Lin, tournesol, sésame."),
            ("Croissant pur beurre", "boulangerie", "ambient", "shop", "unit", "5.50", [("À l'unité", "1.20", "1", 40), ("Sachet de 6", "6.80", "6", 10)], ""),
            ("Tarte au sucre", "boulangerie", "ambient", "shop", "unit", "5.50", [("6 parts", "13.50", "1", 6)], "La tarte au sucre du Nord, vergeoise brune."),
            ("Flamiche au Maroilles", "boulangerie", "chilled", "shop", "unit", "5.50", [("6 parts", "17.90", "1", 5)], "À réchauffer 15 min à 180 °C."),
            ("Galette des rois frangipane", "boulangerie", "frozen", "shop", "unit", "5.50", [("6 parts", "19.50", "1", 4)], "Surgelée crue, à cuire 35 min."),
        ],
    },
    {
        "slug": "boucherie-delattre", "login": "boucherie", "name": "Boucherie Delattre", "kind": "merchant",
        "legal_name": "Delattre et Fils SAS", "commune": "Bavay", "address": "3 place Charles de Gaulle",
        "hours": _SHOP_HOURS, "collect": True, "commission": "10.00", "siren": "453219876",
        "products": [
            ("Steak haché pur bœuf", "boucherie", "chilled", "shop", "kg", "5.50", [("2 × 125 g", "5.90", "0.25", 30)], "Bœuf race Bleue du Nord, 15 % MG."),
            ("Rôti de porc", "boucherie", "chilled", "shop", "kg", "5.50", [("Environ 1 kg", "14.90", "1", 8)], "Porc fermier de l'Avesnois."),
            ("Carbonade flamande", "boucherie", "chilled", "shop", "kg", "5.50", [("Barquette 600 g", "11.40", "0.6", 12)], "Plat cuisiné maison à la bière et au pain d'épices."),
            ("Saucisses de Toulouse", "boucherie", "chilled", "shop", "kg", "5.50", [("4 pièces (500 g)", "7.20", "0.5", 15)], ""),
            ("Pâté de campagne", "boucherie", "chilled", "shop", "kg", "5.50", [("Tranche 200 g", "3.80", "0.2", 20)], ""),
            ("Potjevleesch", "boucherie", "chilled", "shop", "kg", "5.50", [("Terrine 400 g", "9.60", "0.4", 10)], "Quatre viandes en gelée, recette flamande."),
            ("Hamburgers surgelés", "boucherie", "frozen", "shop", "kg", "5.50", [("Boîte de 6 (900 g)", "12.50", "0.9", 10)], ""),
        ],
    },
    {
        "slug": "fromagerie-maroilles", "login": "fromagerie", "name": "Fromagerie de l'Abbaye", "kind": "merchant",
        "legal_name": "Fromagerie de l'Abbaye SARL", "commune": "Maroilles", "address": "1 Grand'Rue",
        "hours": _SHOP_HOURS | {"7": [["09:00", "12:30"]]}, "collect": True, "commission": "10.00", "siren": "398765432",
        "products": [
            ("Maroilles AOP", "fromagerie", "chilled", "farm", "kg", "5.50", [("Le Quart (180 g)", "4.90", "0.18", 25), ("Le Mignon (350 g)", "8.40", "0.35", 15), ("Le Maroilles (750 g)", "15.90", "0.75", 10)], "Affiné 5 semaines en cave, croûte lavée."),
            ("Boulette d'Avesnes", "fromagerie", "chilled", "farm", "kg", "5.50", [("La boulette (200 g)", "5.60", "0.2", 12)], "Au paprika, estragon et poivre."),
            ("Vieux-Lille", "fromagerie", "chilled", "shop", "kg", "5.50", [("250 g", "6.50", "0.25", 8)], "Le « puant de Lille », affiné en saumure."),
            ("Tomme de Mormal", "fromagerie", "chilled", "farm", "kg", "5.50", [("Part de 300 g", "7.20", "0.3", 14)], ""),
            ("Beurre fermier demi-sel", "fromagerie", "chilled", "farm", "kg", "5.50", [("Motte 250 g", "4.20", "0.25", 20)], ""),
            ("Tarte au Maroilles surgelée", "fromagerie", "frozen", "shop", "unit", "5.50", [("4 parts", "11.90", "1", 6)], ""),
        ],
    },
    {
        "slug": "epicerie-landrecies", "login": "epicerie", "name": "L'Épicerie de la Sambre", "kind": "merchant",
        "legal_name": "EURL Épicerie de la Sambre", "commune": "Landrecies", "address": "25 rue Jean Jaurès",
        "hours": _SHOP_HOURS | {"1": [["14:30", "19:00"]]}, "collect": True, "commission": "12.00", "siren": "501234567",
        "products": [
            ("Chicorée soluble", "epicerie", "ambient", "shop", "kg", "5.50", [("Boîte 250 g", "4.95", "0.25", 20)], "Torréfiée dans le Nord."),
            ("Bière de garde ambrée", "boissons", "ambient", "shop", "l", "20.00", [("Bouteille 75 cl", "5.40", "0.75", 24)], "Brasserie artisanale de l'Avesnois, 6,5 % vol."),
            ("Confiture de rhubarbe", "epicerie", "ambient", "shop", "kg", "5.50", [("Pot 370 g", "4.60", "0.37", 18)], ""),
            ("Gaufres fourrées à la vergeoise", "epicerie", "ambient", "shop", "unit", "5.50", [("Sachet de 8", "6.20", "8", 15)], ""),
            ("Café moulu pur arabica", "epicerie", "ambient", "shop", "kg", "5.50", [("Paquet 250 g", "5.90", "0.25", 12)], ""),
            ("Farine de blé T65", "epicerie", "ambient", "farm", "kg", "5.50", [("Sac 1 kg", "2.40", "1", 25)], "Moulin de l'Avesnois."),
            ("Glace vanille", "epicerie", "frozen", "shop", "l", "5.50", [("Bac 500 ml", "6.50", "0.5", 8)], ""),
        ],
    },
    {
        "slug": "jardins-de-jolimetz", "login": "maraicher", "name": "Les Jardins de Jolimetz", "kind": "producer",
        "legal_name": "EARL des Jardins de Jolimetz", "commune": "Jolimetz", "address": "Chemin des Prés",
        "hours": _FARM_HOURS, "collect": True, "commission": "6.00", "siren": "823456789",
        "products": [
            ("Pommes de terre Bintje", "fruits-legumes", "ambient", "farm", "kg", "5.50", [("Sac 2,5 kg", "4.50", "2.5", 30), ("Sac 5 kg", "8.00", "5", 15)], ""),
            ("Chicons (endives de pleine terre)", "fruits-legumes", "chilled", "farm", "kg", "5.50", [("500 g", "3.20", "0.5", 20)], ""),
            ("Poireaux", "fruits-legumes", "ambient", "farm", "kg", "5.50", [("Botte de 1 kg", "2.90", "1", 18)], ""),
            ("Carottes des sables", "fruits-legumes", "ambient", "farm", "kg", "5.50", [("1 kg", "1.90", "1", 25)], ""),
            ("Salade batavia", "fruits-legumes", "chilled", "farm", "unit", "5.50", [("La pièce", "1.30", "1", 20)], ""),
            ("Panier de légumes de saison", "fruits-legumes", "ambient", "farm", "unit", "5.50", [("Petit (3 kg)", "12.00", "1", 10), ("Famille (6 kg)", "20.00", "1", 6)], "Composition selon la récolte de la semaine."),
        ],
    },
    {
        "slug": "ferme-du-bois-de-mormal", "login": "fermelaitiere", "name": "Ferme du Bois de Mormal", "kind": "producer",
        "legal_name": "GAEC du Bois de Mormal", "commune": "Locquignol", "address": "Ferme de la Haute Rue",
        "hours": _FARM_HOURS | {"2": [["17:00", "19:00"]]}, "collect": True, "commission": "6.00", "siren": "434567891",
        "products": [
            ("Lait cru entier", "fromagerie", "chilled", "farm", "l", "5.50", [("Bouteille 1 L", "1.40", "1", 40)], "Traite du matin, vaches prim'holstein et bleues du Nord."),
            ("Yaourts nature", "fromagerie", "chilled", "farm", "unit", "5.50", [("Pack de 4", "2.80", "4", 25)], ""),
            ("Fromage blanc fermier", "fromagerie", "chilled", "farm", "kg", "5.50", [("Pot 500 g", "3.50", "0.5", 15)], ""),
            ("Crème crue épaisse", "fromagerie", "chilled", "farm", "l", "5.50", [("Pot 50 cl", "4.80", "0.5", 12)], ""),
            ("Beurre cru doux", "fromagerie", "chilled", "farm", "kg", "5.50", [("Motte 250 g", "4.50", "0.25", 16)], ""),
            ("Glace au lait de la ferme", "fromagerie", "frozen", "farm", "l", "5.50", [("Vanille 750 ml", "8.90", "0.75", 8), ("Caramel beurre salé 750 ml", "8.90", "0.75", 8)], ""),
        ],
    },
    {
        "slug": "volailles-du-poix", "login": "volailles", "name": "Volailles du Poix", "kind": "producer",
        "legal_name": "EARL Carlier Volailles", "commune": "Poix-du-Nord", "address": "Route de Vendegies",
        "hours": _FARM_HOURS, "collect": False, "commission": "7.00", "siren": "512398764",
        "products": [
            ("Poulet fermier entier", "volailles-oeufs", "chilled", "farm", "kg", "5.50", [("Environ 1,8 kg", "19.80", "1.8", 10)], "Élevé en plein air 110 jours."),
            ("Œufs de poules plein air", "volailles-oeufs", "ambient", "farm", "unit", "5.50", [("Boîte de 6", "2.60", "6", 40), ("Plateau de 12", "4.90", "12", 20)], ""),
            ("Cuisses de poulet", "volailles-oeufs", "chilled", "farm", "kg", "5.50", [("Barquette 1 kg", "11.50", "1", 12)], ""),
            ("Filets de poulet", "volailles-oeufs", "chilled", "farm", "kg", "5.50", [("Barquette 500 g", "12.40", "0.5", 12)], ""),
            ("Pintade fermière", "volailles-oeufs", "chilled", "farm", "kg", "5.50", [("Environ 1,4 kg", "22.40", "1.4", 5)], ""),
            ("Poulet fermier surgelé", "volailles-oeufs", "frozen", "farm", "kg", "5.50", [("Environ 1,8 kg", "18.90", "1.8", 8)], ""),
        ],
    },
    {
        "slug": "rucher-de-la-foret", "login": "apiculteur", "name": "Le Rucher de la Forêt", "kind": "producer",
        "legal_name": "Lemaire Julien (EI)", "commune": "Englefontaine", "address": "8 rue de la Forêt",
        "hours": {"6": [["09:00", "12:30"], ["14:00", "18:00"]]}, "collect": True, "commission": "6.00", "siren": "789123456",
        "products": [
            ("Miel de forêt", "miel", "ambient", "farm", "kg", "5.50", [("Pot 500 g", "9.50", "0.5", 30), ("Pot 1 kg", "17.00", "1", 12)], "Récolté en forêt de Mormal."),
            ("Miel de printemps crémeux", "miel", "ambient", "farm", "kg", "5.50", [("Pot 250 g", "5.50", "0.25", 25)], ""),
            ("Pain d'épices au miel", "miel", "ambient", "farm", "kg", "5.50", [("400 g", "7.80", "0.4", 10)], ""),
            ("Bougie en cire d'abeille", "artisanat", "ambient", "farm", "unit", "20.00", [("Petite", "6.00", "1", 15)], ""),
            ("Hydromel", "boissons", "ambient", "farm", "l", "20.00", [("Bouteille 75 cl", "14.00", "0.75", 10)], "12 % vol."),
            ("Pollen frais", "miel", "frozen", "farm", "kg", "5.50", [("Pot 250 g", "11.00", "0.25", 6)], "Conservé au congélateur."),
        ],
    },
    {
        "slug": "atelier-du-chene", "login": "artisan", "name": "L'Atelier du Chêne", "kind": "artisan",
        "legal_name": "Fontaine Hugo (EI)", "commune": "Gommegnies", "address": "14 rue du Moulin",
        "hours": {"5": [["14:00", "18:00"]], "6": [["10:00", "18:00"]]}, "collect": True, "commission": "15.00", "siren": "852741963",
        "products": [
            ("Planche à découper en chêne", "artisanat", "ambient", "shop", "unit", "20.00", [("Moyenne (35 cm)", "38.00", "1", 6), ("Grande (50 cm)", "55.00", "1", 3)], "Chêne de la forêt de Mormal, huilé."),
            ("Cuillère à pot en hêtre", "artisanat", "ambient", "shop", "unit", "20.00", [("La pièce", "14.00", "1", 10)], ""),
            ("Dessous de plat", "artisanat", "ambient", "shop", "unit", "20.00", [("Rond 20 cm", "22.00", "1", 8)], ""),
            ("Bol tourné en merisier", "artisanat", "ambient", "shop", "unit", "20.00", [("La pièce", "45.00", "1", 4)], ""),
            ("Nichoir à mésanges", "artisanat", "ambient", "shop", "unit", "20.00", [("La pièce", "29.00", "1", 7)], ""),
            ("Plateau de service", "artisanat", "ambient", "shop", "unit", "20.00", [("La pièce", "49.00", "1", 3)], ""),
        ],
    },
    {
        "slug": "vergers-de-gommegnies", "login": "vergers", "name": "Les Vergers de l'Avesnois", "kind": "producer",
        "legal_name": "SCEA Vergers de l'Avesnois", "commune": "Bavay", "address": "Ferme du Bavisiau",
        "hours": _FARM_HOURS, "collect": True, "commission": "6.00", "siren": "419876543",
        "products": [
            ("Pommes Reinette", "fruits-legumes", "ambient", "farm", "kg", "5.50", [("Sac 2 kg", "5.20", "2", 20)], "Variétés anciennes de haute tige."),
            ("Poires Conférence", "fruits-legumes", "ambient", "farm", "kg", "5.50", [("Sac 1,5 kg", "4.80", "1.5", 15)], ""),
            ("Jus de pomme", "boissons", "ambient", "farm", "l", "5.50", [("Bouteille 1 L", "3.20", "1", 40), ("Bag-in-box 5 L", "13.50", "5", 10)], "Pur jus, non filtré."),
            ("Cidre fermier brut", "boissons", "ambient", "farm", "l", "20.00", [("Bouteille 75 cl", "4.90", "0.75", 24)], ""),
            ("Compote pomme-rhubarbe", "epicerie", "ambient", "farm", "kg", "5.50", [("Bocal 700 g", "5.60", "0.7", 12)], ""),
            ("Sorbet pomme", "fruits-legumes", "frozen", "farm", "l", "5.50", [("Bac 500 ml", "6.90", "0.5", 6)], ""),
        ],
    },
]

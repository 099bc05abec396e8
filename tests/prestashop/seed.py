"""Shop data for the Webservice double: a small realistic CCI shop, or N generated products.

Language 1 is English and 2 French (as on a shop installed in English first), 3 is Dutch: the
bridge must still pick French names first.
"""

from __future__ import annotations

from .double import Shop

KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"  # 32 characters, like a real Webservice key
INACTIVE_KEY = "INACTIVEKEY00000000000000000000Z"
NO_RIGHTS_KEY = "NORIGHTSKEY00000000000000000000Z"


def ml(fr: str, en: str | None = None, nl: str | None = None) -> list[dict[str, str]]:
    return [{"id": "1", "value": en or fr}, {"id": "2", "value": fr}, {"id": "3", "value": nl or ""}]


def base_shop(version: str = "8.1.2") -> Shop:
    shop = Shop(version=version)
    shop.grant(KEY)
    shop.keys[INACTIVE_KEY] = None
    shop.keys[NO_RIGHTS_KEY] = {}
    for lid, iso in (("1", "en"), ("2", "fr"), ("3", "nl")):
        shop.add("languages", {"id": lid, "iso_code": iso, "name": iso.upper(), "active": "1"})
    shop.add("countries", {"id": "8", "iso_code": "FR", "name": ml("France")})
    shop.add("countries", {"id": "3", "iso_code": "BE", "name": ml("Belgique", "Belgium")})
    shop.add("taxes", {"id": "1", "rate": "20.000", "active": "1", "name": ml("TVA FR 20%")})
    shop.add("taxes", {"id": "2", "rate": "5.500", "active": "1", "name": ml("TVA FR 5.5%")})
    shop.add("taxes", {"id": "3", "rate": "6.000", "active": "1", "name": ml("BTW BE 6%")})
    for rid, group, country, tax in ((1, 1, 8, 1), (2, 2, 8, 2), (3, 2, 3, 3)):
        shop.add("tax_rules", {"id": str(rid), "id_tax_rules_group": str(group), "id_state": "0",
                               "id_country": str(country), "id_tax": str(tax), "behavior": "0"})
    shop.add("tax_rule_groups", {"id": "1", "name": "FR Taux standard (20%)", "active": "1"})
    shop.add("tax_rule_groups", {"id": "2", "name": "FR Taux réduit (5.5%)", "active": "1"})
    # group 3 has a Belgian rule only: a product in it has no French rate
    shop.add("tax_rules", {"id": "4", "id_tax_rules_group": "3", "id_state": "0", "id_country": "3", "id_tax": "3",
                           "behavior": "0"})
    shop.add("tax_rule_groups", {"id": "3", "name": "BE 6%", "active": "1"})
    shop.add("shops", {"id": "1", "id_shop_group": "1", "id_category": "2", "active": "1",
                       "name": "Mes commerçants du Grand Hainaut"})
    for mid, name in ((1, "Boulangerie Martin"), (2, "Ferme du Bois de Mormal"), (3, "Fromagerie de l'Avesnois")):
        shop.add("manufacturers", {"id": str(mid), "active": "1", "name": name, "date_add": "2025-01-01 10:00:00",
                                   "date_upd": "2025-01-01 10:00:00", "description": ml("")})
    for cid, parent, name in ((1, 0, "Racine"), (2, 1, "Accueil"), (3, 2, "Alimentation"), (4, 3, "Boulangerie"),
                              (5, 3, "Crèmerie"), (6, 3, "Épicerie")):
        shop.add("categories", {"id": str(cid), "id_parent": str(parent), "active": "1", "name": ml(name),
                                "link_rewrite": ml(name.lower())})
    # features: how the goods keep, what an item weighs, its volume (French, English)
    for fid, fr, en in ((1, "Conservation", "Storage"), (2, "Poids", "Weight"), (3, "Contenance", "Volume")):
        shop.add("product_features", {"id": str(fid), "name": ml(fr, en), "position": str(fid)})
    for vid, feature, fr, en in ((1, 1, "Frais (0-4 °C)", "Chilled"), (2, 1, "Surgelé", "Frozen"),
                                 (3, 1, "Ambiant", "Room temperature"), (4, 2, "450 g", "450 g"),
                                 (5, 3, "75 cl", "75 cl")):
        shop.add("product_feature_values", {"id": str(vid), "id_feature": str(feature), "custom": "0",
                                            "value": ml(fr, en)})
    shop.add("product_options", {"id": "1", "group_type": "select", "name": ml("Poids", "Weight"),
                                 "public_name": ml("Poids", "Weight")})
    for vid, name in ((1, "250 g"), (2, "500 g"), (3, "1 kg")):
        shop.add("product_option_values", {"id": str(vid), "id_attribute_group": "1", "name": ml(name)})
    return shop


def add_product(shop: Shop, pid: int, *, name: str, price: str, manufacturer: int, category: int,
                tax_group: int = 2, combos: list[tuple[int, str, int]] | None = None, stock: int = 10,
                date_upd: str = "2026-11-01 08:00:00", images: int = 1, features: tuple[tuple[int, int], ...] = (),
                weight: str = "0.000000") -> None:
    """Add a product, its combinations ``(option_value_id, price_impact, qty)`` and stock rows."""
    combo_ids = []
    for value_id, impact, qty in combos or []:
        comb = shop.add("combinations", {"id_product": str(pid), "reference": f"REF{pid}-{value_id}", "ean13": "",
                                         "price": impact, "minimal_quantity": "1",
                                         "default_on": "1" if not combo_ids else "",
                                         "associations": {"product_option_values": [{"id": str(value_id)}]}})
        combo_ids.append(int(comb["id"]))
        shop.add("stock_availables", {"id_product": str(pid), "id_product_attribute": comb["id"], "id_shop": "1",
                                      "id_shop_group": "0", "quantity": str(qty), "depends_on_stock": "0",
                                      "out_of_stock": "2", "location": ""})
    shop.add("stock_availables", {"id_product": str(pid), "id_product_attribute": "0", "id_shop": "1",
                                  "id_shop_group": "0", "quantity": str(stock), "depends_on_stock": "0",
                                  "out_of_stock": "2", "location": ""})
    shop.add("products", {
        "id": str(pid), "id_manufacturer": str(manufacturer), "id_supplier": "0",
        "id_category_default": str(category), "id_default_combination": str(combo_ids[0]) if combo_ids else "0",
        "id_tax_rules_group": str(tax_group), "type": "simple", "id_shop_default": "1",
        "reference": f"REF{pid}", "ean13": "", "quantity": str(stock), "price": price, "active": "1",
        "weight": weight,
        "date_add": "2025-06-01 09:00:00", "date_upd": date_upd, "manufacturer_name": "",
        "name": ml(name, f"{name} (en)", f"{name} (nl)"), "link_rewrite": ml(name.lower().replace(" ", "-")),
        "description": ml(f"<p>{name} &amp; fait maison.</p>"), "description_short": ml(f"<p>{name}</p>"),
        "associations": {
            "categories": [{"id": "2"}, {"id": str(category)}],
            "images": [{"id": str(pid * 10 + i)} for i in range(images)],
            "combinations": [{"id": str(c)} for c in combo_ids],
            "stock_availables": [],
            "product_features": [{"id": str(f), "id_feature_value": str(v)} for f, v in features],
        },
    })


def cci_shop(version: str = "8.1.2") -> Shop:
    """Five products: with and without combinations, three vendors, two VAT rates.

    Goods facts: the bread keeps ambient and weighs 0.4 kg (PrestaShop's weight field); the
    Maroilles is chilled, its sizes weigh what their "Poids" option says; the jam states a
    "Poids" feature but no way to keep; the basket states nothing; the flour keeps ambient and
    its sizes weigh what their option says.
    """
    shop = base_shop(version)
    add_product(shop, 1, name="Pain de campagne", price="3.317536", manufacturer=1, category=4, stock=12,
                date_upd="2026-11-01 08:00:00", features=((1, 3),), weight="0.400000")
    add_product(shop, 2, name="Maroilles AOP", price="7.582938", manufacturer=3, category=5,
                combos=[(1, "0.000000", 4), (2, "6.000000", 2)], date_upd="2026-11-02 08:00:00", features=((1, 1),))
    add_product(shop, 3, name="Confiture de rhubarbe", price="4.500000", manufacturer=2, category=6, tax_group=2,
                date_upd="2026-11-03 08:00:00", features=((2, 4),))
    add_product(shop, 4, name="Panier garni", price="25.000000", manufacturer=0, category=6, tax_group=1, stock=3,
                date_upd="2026-11-04 08:00:00")
    add_product(shop, 5, name="Farine de blé T65", price="2.000000", manufacturer=2, category=6,
                combos=[(2, "0.000000", 20), (3, "1.500000", 15)], date_upd="2026-11-05 08:00:00", features=((1, 3),))
    return shop


def big_shop(n_products: int, version: str = "8.1.2") -> Shop:
    """``n_products`` generated products; one in four has two combinations."""
    shop = base_shop(version)
    for pid in range(1, n_products + 1):
        combos = [(1, "0.000000", pid % 7), (2, "1.250000", pid % 5)] if pid % 4 == 0 else None
        add_product(shop, pid, name=f"Produit local {pid}", price=f"{1 + pid % 50}.{pid % 100:02d}0000",
                    manufacturer=1 + pid % 3, category=4 + pid % 3, stock=pid % 30, combos=combos)
    return shop


def add_orders(shop: Shop) -> None:
    """Six orders: two home deliveries in the area, one in Lille, one collected, one cancelled,
    one addressed to a city that shares a Mormal postcode but is not a commune of the area."""
    for cid, name in ((1, "Retrait en boutique"), (2, "Livraison à domicile"), (3, "Colissimo")):
        shop.add("carriers", {"id": str(cid), "name": name, "active": "1", "delay": ml("24 h")})
    for cid, first, last in ((1, "Jeanne", "Dupont"), (2, "Marcel", "Lefebvre"), (3, "Paul", "Martin")):
        shop.add("customers", {"id": str(cid), "firstname": first, "lastname": last, "email": f"{first.lower()}@exemple.fr"})
    addresses = ((1, 1, "12 rue de la Gare", "59570", "Bavay"), (2, 2, "3 place du Marché", "59530", "LE QUESNOY"),
                 (3, 3, "1 rue Nationale", "59000", "Lille"), (4, 1, "5 rue Haute", "59530", "Villereau"),
                 (5, 2, "8 rue Basse", "59530", "Valenciennes"))
    for aid, cust, street, postcode, city in addresses:
        shop.add("addresses", {"id": str(aid), "id_customer": str(cust), "id_country": "8", "alias": "Maison",
                               "firstname": "", "lastname": "", "address1": street, "address2": "",
                               "postcode": postcode, "city": city, "phone": "03 27 00 00 0" + str(aid),
                               "phone_mobile": "", "other": "Sonner fort" if aid == 1 else ""})
    orders = ((1, 1, 1, 2, 2), (2, 2, 2, 2, 3), (3, 3, 3, 3, 2), (4, 1, 4, 1, 2), (5, 2, 2, 2, 6), (6, 2, 5, 2, 2))
    for oid, cust, address, carrier, state in orders:
        shop.add("orders", {
            "id": str(oid), "id_address_delivery": str(address), "id_address_invoice": str(address),
            "id_cart": str(oid), "id_currency": "1", "id_lang": "2", "id_customer": str(cust),
            "id_carrier": str(carrier), "current_state": str(state), "module": "ps_checkpayment",
            "reference": f"ORD{oid:05d}", "date_add": f"2026-11-2{oid % 9} 10:00:00", "date_upd": "2026-11-28 10:00:00",
            "total_paid": "11.50", "total_paid_tax_incl": "11.50",
            "associations": {"order_rows": [
                {"id": str(oid * 10), "product_id": "1", "product_attribute_id": "0", "product_quantity": "2",
                 "product_name": "Pain de campagne", "product_price": "3.317536"},
                {"id": str(oid * 10 + 1), "product_id": "2", "product_attribute_id": "1", "product_quantity": "1",
                 "product_name": "Maroilles AOP - 250 g", "product_price": "7.582938"},
            ]},
        })

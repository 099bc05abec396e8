"""Shopper URLs, in French."""

from django.urls import path

from .views import behalf, cart, catalogue, checkout, my_data, orders

app_name = "storefront"

urlpatterns = [
    path("", catalogue.index, name="index"),
    path("produit/<slug:slug>/", catalogue.product, name="product"),
    path("commerce/<slug:slug>/", catalogue.vendor, name="vendor"),
    path("commune/<str:insee>/", catalogue.commune, name="commune"),
    path("panier/", cart.show, name="cart"),
    path("panier/ajouter/", cart.add, name="cart_add"),
    path("panier/modifier/", cart.update, name="cart_update"),
    path("commande/livraison/", checkout.delivery, name="delivery"),
    path("commande/sans-compte/", checkout.guest, name="guest"),
    path("commande/paiement/", checkout.payment, name="payment"),
    path("commande/paiement/carte/", checkout.card_step, name="card_step"),
    path("commande/paiement/carte-bancaire/", checkout.card_pay, name="card_pay"),
    path("commande/paiement/carte-bancaire/retour/", checkout.card_return, name="card_return"),
    path("commandes/", orders.mine, name="orders"),
    path("commandes/suivi/<str:signed>/", orders.by_link, name="order_link"),
    path("commandes/<int:pk>/annuler/", orders.cancel, name="order_cancel"),
    path("commandes/<str:number>/", orders.detail, name="order"),
    path("pour-un-proche/", behalf.start, name="behalf"),
    path("pour-un-proche/fin/", behalf.stop, name="behalf_stop"),
    path("mes-donnees/", my_data.page, name="my_data"),
    path("mes-donnees/telecharger/", my_data.export, name="my_data_export"),
    path("mes-donnees/effacer/", my_data.erase, name="my_data_erase"),
]

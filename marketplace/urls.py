"""Top-level URL map; each app owns its own ``urls.py``."""

from django.contrib import admin
from django.urls import include, path

from marketplace.core import views as core_views
from marketplace.saleor.standin.signing import jwks_view
from marketplace.vouchers import views as voucher_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("sante/", core_views.health, name="health"),
    # the Saleor stand-in's public keys, where a Saleor serves them (404 once a real Saleor is set)
    path(".well-known/jwks.json", jwks_view, name="standin_jwks"),
    path("admin/", admin.site.urls),
    path("saleor/", include("marketplace.saleor.urls")),
    path("vendeur/", include("marketplace.vendors.urls")),
    path("comptes/", include("marketplace.vendors.urls_accounts")),
    path("compte/", include("marketplace.shoppers.urls")),
    path("livraison/tel/<str:signed>/cheque-cadeau/<int:task_id>/", voucher_views.door, name="voucher_door"),
    path("livraison/", include("delivery.urls")),
    path("boutique/commande/cheque-cadeau/", voucher_views.checkout_code, name="voucher_checkout"),
    path("boutique/cheques-cadeaux/", include("marketplace.vouchers.shop_urls")),
    path("boutique/", include("marketplace.storefront.urls")),
    path("pilotage/indicateurs/", include("marketplace.indicators.urls")),
    path("pilotage/cheques-cadeaux/", include("marketplace.vouchers.urls")),
    path("pilotage/", include("marketplace.operations.urls")),
    path("circuit-court/", include("shortcircuit.urls")),
    # its pages sit under /vendeur/, /boutique/ and /pilotage/, next to (never shadowed by) the apps' own
    path("", include("marketplace.evaluation.urls")),
]

handler400 = "marketplace.core.views.bad_request"
handler403 = "marketplace.core.views.permission_denied"
handler404 = "marketplace.core.views.page_not_found"
handler500 = "marketplace.core.views.server_error"

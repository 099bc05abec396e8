"""The vendor dashboard and the staff onboarding pages, under ``/vendeur/`` (namespace ``vendors``).

Every view here except those in :data:`PUBLIC_URL_NAMES` is either vendor-scoped or staff-only;
the isolation test walks them all.
"""

from django.urls import path

from .views import dashboard, orders, products, staff, statements

app_name = "vendors"

#: URL names reachable without signing in (product photos are public in the storefront).
PUBLIC_URL_NAMES = {"product_image_file"}

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("boutique/", dashboard.shop, name="shop"),
    path("recommander/", dashboard.recommend, name="recommend"),
    path("produits/", products.product_list, name="product_list"),
    path("produits/nouveau/", products.product_create, name="product_create"),
    path("produits/<int:product_pk>/", products.product_edit, name="product_edit"),
    path("produits/<int:product_pk>/photos/", products.product_image_add, name="product_image_add"),
    path("produits/<int:product_pk>/renvoyer/", products.product_push, name="product_push"),
    path("photos/<int:image_pk>/", products.product_image_file, name="product_image_file"),
    path("stock/", products.stock, name="stock"),
    path("commandes/", orders.order_list, name="order_list"),
    path("commandes/<int:order_pk>/", orders.order_detail, name="order_detail"),
    path("commandes/<int:order_pk>/preparer/", orders.order_prepare, name="order_prepare"),
    path("commandes/<int:order_pk>/encaisse/", orders.order_paid_at_shop, name="order_paid_at_shop"),
    path("preparation/", orders.pick_list, name="pick_list"),
    path("preparation.pdf", orders.pick_list_download, name="pick_list_pdf"),
    path("releves/", statements.statement_index, name="statement_index"),
    path("releves/<int:year>/<int:month>/", statements.statement_month, name="statement_month"),
    path("releves/<int:year>/<int:month>.csv", statements.statement_csv_download, name="statement_csv"),
    path("gestion/", staff.vendor_list, name="staff_vendor_list"),
    path("gestion/nouveau/", staff.vendor_edit, name="staff_vendor_create"),
    path("gestion/<int:vendor_pk>/", staff.vendor_detail, name="staff_vendor_detail"),
    path("gestion/<int:vendor_pk>/modifier/", staff.vendor_edit, name="staff_vendor_edit"),
    path("gestion/points-relais/", staff.relay_points_sync, name="staff_relay_sync"),
]

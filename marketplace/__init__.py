"""The Mormal marketplace: a Django project hosting our Saleor App, storefront and vendor pages."""

from .celery import app as celery_app

__all__ = ("celery_app",)

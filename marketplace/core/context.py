"""Template context shared by every page."""

from django.conf import settings


def platform(request):
    """Expose whether a real Saleor is configured, so the stand-in is announced on screen."""
    return {
        "saleor_is_real": bool(settings.SALEOR_API_URL),
        "platform_name": "Marché du Pays de Mormal",
    }

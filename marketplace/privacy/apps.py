from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Retention of personal data, and the shopper's export and erasure."""

    name = "marketplace.privacy"
    label = "privacy"

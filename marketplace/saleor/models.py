"""Tables of the Saleor adapter: installations, received webhooks, and the stand-in's documents."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SaleorInstallation(models.Model):
    """One Saleor instance that installed our App (from ``/api/register``).

    The auth token is stored only encrypted (Fernet, ``FIELD_ENCRYPTION_KEY``) and only once
    Saleor confirmed it belongs to our App (``app_id``, Saleor's global ID of the installed App).
    ``version`` goes up each time the token changes: running processes compare it to the one
    they hold and pick the new token up without a restart. The JWKS used to verify webhook
    signatures is cached here so every process shares it.
    """

    saleor_api_url = models.URLField("URL de l'API Saleor", unique=True, max_length=500)
    domain = models.CharField("domaine", max_length=255)
    app_id = models.CharField("App dans Saleor", max_length=120, blank=True, help_text="Identifiant de l'App installée, chez Saleor.")
    token_encrypted = models.TextField(verbose_name="jeton de l'App (chiffré)")
    version = models.PositiveIntegerField("version du jeton", default=1, help_text="Augmente à chaque nouveau jeton.")
    jwks = models.JSONField(default=dict, blank=True, verbose_name="clés de signature (JWKS)")
    jwks_fetched_at = models.DateTimeField("clés de signature lues le", null=True, blank=True)
    created_at = models.DateTimeField("installée le", auto_now_add=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)

    class Meta:
        verbose_name = "installation Saleor"
        verbose_name_plural = "installations Saleor"

    def __str__(self) -> str:
        return self.saleor_api_url


class WebhookEvent(models.Model):
    """One received webhook delivery; the unique key makes a redelivery a no-op."""

    saleor_api_url = models.CharField(max_length=500)
    event_type = models.CharField(max_length=80)
    delivery_key = models.CharField(max_length=64, help_text="SHA-256 of the signed body")
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    redeliveries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "événement Saleor reçu"
        verbose_name_plural = "événements Saleor reçus"
        constraints = [
            models.UniqueConstraint(
                fields=["saleor_api_url", "event_type", "delivery_key"], name="saleor_webhook_once"
            )
        ]
        indexes = [models.Index(fields=["event_type", "received_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.delivery_key[:12]}"


class WebhookHandling(models.Model):
    """That one registered handler has run (successfully) for one event."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="handlings")
    handler_name = models.CharField(max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "traitement d'événement Saleor"
        verbose_name_plural = "traitements d'événements Saleor"
        constraints = [
            models.UniqueConstraint(fields=["event", "handler_name"], name="saleor_handler_once")
        ]

    def __str__(self) -> str:
        return f"{self.handler_name} for {self.event_id}"


class StandInDocument(models.Model):
    """One object of the Saleor stand-in (a warehouse, product, checkout, order...) as JSON.

    ``kind`` is the Saleor type name, ``key`` the database id inside its global ID. Kept in
    PostgreSQL so the demo's web and worker processes see the same data and restarts keep it.
    """

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    data = models.JSONField()
    slug = models.TextField(null=True, blank=True, help_text="copy of data.slug, for lookups")
    sku = models.TextField(null=True, blank=True, help_text="copy of data.sku, for lookups")
    parent = models.CharField(
        max_length=64, null=True, blank=True, help_text="key of the owner (a variant's product)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "document du substitut Saleor"
        verbose_name_plural = "documents du substitut Saleor"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="standin_kind_key")]
        indexes = [
            models.Index(fields=["kind", "created_at"]),
            models.Index(fields=["kind", "slug"], name="standin_kind_slug"),
            models.Index(fields=["kind", "sku"], name="standin_kind_sku"),
            models.Index(fields=["kind", "parent"], name="standin_kind_parent"),
            GinIndex(fields=["data"], opclasses=["jsonb_path_ops"], name="standin_data_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"

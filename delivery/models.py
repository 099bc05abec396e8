# ruff: noqa: D106 - Django Meta and choices classes need no docstring
"""Delivery records: depots, vans, days, the tasks other apps create, stored plans and stop events.

Units follow the routing core: times of day are integer seconds since local midnight, masses
are grams, volumes millilitres, money euro cents, coordinates WGS84 degrees.
"""

import secrets

from django.db import models

from .coldchain import COMPARTMENTS  # noqa: F401 - re-exported: the van's compartments


def new_token() -> str:
    """A fresh unguessable token (32 random bytes, URL-safe)."""
    return secrets.token_urlsafe(32)


class Depot(models.Model):
    """Where the vans sleep and load; opening hours in seconds since midnight."""

    name = models.CharField(max_length=120)
    address = models.CharField(max_length=255)
    lon = models.FloatField()
    lat = models.FloatField()
    opens_s = models.PositiveIntegerField(default=7 * 3600)
    closes_s = models.PositiveIntegerField(default=19 * 3600)

    def __str__(self) -> str:
        return self.name


class Van(models.Model):
    """A refrigerated van: capacity per compartment (kg and litres) and running costs."""

    name = models.CharField(max_length=80, unique=True)
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="vans")
    ambient_kg = models.PositiveIntegerField(default=400)
    ambient_l = models.PositiveIntegerField(default=2000)
    chilled_kg = models.PositiveIntegerField(default=300)
    chilled_l = models.PositiveIntegerField(default=1200)
    frozen_kg = models.PositiveIntegerField(default=100)
    frozen_l = models.PositiveIntegerField(default=400)
    cost_per_km_c = models.PositiveIntegerField(default=35, help_text="Euro cents per km.")
    fixed_cost_c = models.PositiveIntegerField(default=0, help_text="Euro cents per day used.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def capacity(self) -> dict[str, tuple[int, int]]:
        """Capacity per compartment as ``{name: (grams, millilitres)}``."""
        return {c: (getattr(self, f"{c}_kg") * 1000, getattr(self, f"{c}_l") * 1000) for c in COMPARTMENTS}


class ServiceArea(models.Model):
    """A group of communes the van serves on one fixed weekday (ISO: 1 = Monday).

    Read through :mod:`delivery.calendar`, which also knows the van's days and the order cut-off.
    The table kept the name it had when the model lived in the storefront app.
    """

    name = models.CharField(max_length=120)
    weekday = models.PositiveSmallIntegerField(choices=[(i, n) for i, n in enumerate(
        ["", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]) if i])
    communes = models.ManyToManyField("territory.Commune", related_name="service_areas")

    class Meta:
        db_table = "storefront_servicearea"
        ordering = ["weekday", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_weekday_display()})"


class DeliveryDay(models.Model):
    """One day of van rounds; ``frozen_at`` is the order cut-off after which tasks stop moving."""

    class Status(models.TextChoices):
        OPEN = "open", "Ouverte"
        PLANNING = "planning", "Calcul en cours"
        PLANNED = "planned", "Planifiée"
        PLAN_FAILED = "plan_failed", "Échec du calcul"
        DONE = "done", "Terminée"

    date = models.DateField(unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    frozen_at = models.DateTimeField(null=True, blank=True)
    planning_error = models.TextField(blank=True)
    solve_time_limit_s = models.PositiveIntegerField(default=10)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return self.date.isoformat()


class Shift(models.Model):
    """A van working a day, with its driver; ``token`` identifies its round on the phone link."""

    day = models.ForeignKey(DeliveryDay, on_delete=models.CASCADE, related_name="shifts")
    van = models.ForeignKey(Van, on_delete=models.PROTECT, related_name="shifts")
    driver_name = models.CharField(max_length=120, blank=True)
    start_s = models.PositiveIntegerField(default=8 * 3600)
    end_s = models.PositiveIntegerField(default=17 * 3600)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "van"], name="delivery_one_shift_per_van_day")]
        ordering = ["day", "van__name"]

    def __str__(self) -> str:
        return f"{self.van} {self.day}"


class DeliveryTask(models.Model):
    """One stop the van must make; created by the shop, short-circuit and PrestaShop sides.

    A collect and a deliver task that share ``shipment_key`` form a pair served by the same van,
    collect first. ``source`` names the originating record and makes creation idempotent.
    """

    class Kind(models.TextChoices):
        COLLECT = "collect", "Collecte chez le commerçant"
        HOME = "home", "Livraison à domicile"
        RELAY = "relay", "Dépôt en point relais"
        PICKUP_POINT = "pickup_point", "Point de retrait circuit court"
        RETURN = "return", "Retour chez le commerçant"

    class Status(models.TextChoices):
        PLANNED = "planned", "Prévue"
        DELIVERED = "delivered", "Faite"
        FAILED = "failed", "Échec"
        CANCELLED = "cancelled", "Annulée"

    class FailReason(models.TextChoices):
        ABSENT = "absent", "Absent"
        REFUSED = "refused", "Refusé"
        ADDRESS_NOT_FOUND = "address_not_found", "Adresse introuvable"
        NO_ACCESS = "no_access", "Accès impossible"

    class Payment(models.TextChoices):
        NONE = "", "Rien à encaisser"
        CASH = "cash", "Espèces"
        CHEQUE = "cheque", "Chèque"
        VOUCHER = "voucher", "Bon d'achat"

    class Resolution(models.TextChoices):
        NONE = "", "—"
        RELAY_TODAY = "relay_today", "Déposer au point relais ouvert le plus proche aujourd'hui"
        RETRY_NEXT = "retry_next", "Nouvel essai à la prochaine tournée"
        CANCELLED = "cancelled", "Commande annulée : retour chez le commerçant"

    day = models.ForeignKey(DeliveryDay, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=200, unique=True)
    shipment_key = models.CharField(max_length=200, blank=True, db_index=True)
    name = models.CharField(max_length=160, help_text="Recipient or vendor name shown to the driver.")
    address = models.CharField(max_length=255)
    phone = models.CharField(max_length=30, blank=True)
    lon = models.FloatField()
    lat = models.FloatField()
    windows = models.JSONField(default=list, help_text="[[start_s, end_s], ...] seconds since midnight.")
    service_s = models.PositiveIntegerField(default=300)
    ambient_g = models.PositiveIntegerField(default=0)
    ambient_ml = models.PositiveIntegerField(default=0)
    chilled_g = models.PositiveIntegerField(default=0)
    chilled_ml = models.PositiveIntegerField(default=0)
    frozen_g = models.PositiveIntegerField(default=0)
    frozen_ml = models.PositiveIntegerField(default=0)
    crates = models.JSONField(default=list, help_text='[{"number": "C12", "compartment": "chilled"}, ...]')
    payment_method = models.CharField(max_length=10, choices=Payment.choices, blank=True, default="")
    payment_cents = models.PositiveIntegerField(default=0)
    doorstep_notes = models.CharField(max_length=255, blank=True)
    access_codes = models.CharField(max_length=120, blank=True, help_text="Codes d'accès : sur le téléphone seulement, jamais sur papier.")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    relay_point = models.ForeignKey("territory.RelayPoint", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="delivery_tasks")
    penalty_c = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: mandatory stop.")
    urgent = models.BooleanField(default=False)
    moved_by_staff = models.BooleanField(default=False, help_text="Staff moved it (day or relay point): sources no longer update it.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    fail_reason = models.CharField(max_length=20, choices=FailReason.choices, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    proof = models.FileField(upload_to="delivery/proofs/%Y/%m/", blank=True)
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True, default="")
    resolution_by = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    follow_up = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="follows")
    personal_data_erased_at = models.DateTimeField(
        null=True, blank=True, help_text="Quand nom, contacts, consignes, codes et preuves ont été effacés (delivery.retention).")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["day", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.name}"

    @property
    def is_collect(self) -> bool:
        """Whether goods come on board at this stop."""
        return self.kind == self.Kind.COLLECT

    def loads(self) -> dict[str, tuple[int, int]]:
        """Load per compartment as ``{name: (grams, millilitres)}``."""
        return {c: (getattr(self, f"{c}_g"), getattr(self, f"{c}_ml")) for c in COMPARTMENTS}


class StoredPlan(models.Model):
    """A solved plan for a day, kept as the routing core's JSON; only one is current per day."""

    day = models.ForeignKey(DeliveryDay, on_delete=models.CASCADE, related_name="plans")
    created_at = models.DateTimeField(auto_now_add=True)
    is_current = models.BooleanField(default=True)
    reason = models.CharField(max_length=120, default="initial", help_text="initial, replan after failure...")
    plan_json = models.JSONField()
    model_json = models.JSONField(null=True, blank=True)
    travel_label = models.CharField(max_length=200)
    cost_c = models.BigIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["day"], condition=models.Q(is_current=True),
                                               name="delivery_one_current_plan_per_day")]


class Round(models.Model):
    """One van's route in a stored plan."""

    plan = models.ForeignKey(StoredPlan, on_delete=models.CASCADE, related_name="rounds")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="rounds")
    start_s = models.PositiveIntegerField()
    end_s = models.PositiveIntegerField()
    distance_m = models.PositiveIntegerField()
    duration_s = models.PositiveIntegerField()
    cost_c = models.BigIntegerField(default=0)
    path = models.JSONField(default=list, help_text="[[lon, lat], ...] drawn on the overview map.")
    path_is_road = models.BooleanField(default=False)

    class Meta:
        ordering = ["shift__van__name"]


class RoundStop(models.Model):
    """A visit of a round, in sequence, with the planned times and the load after it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="stops")
    sequence = models.PositiveIntegerField()
    task = models.ForeignKey(DeliveryTask, on_delete=models.CASCADE, related_name="round_stops")
    arrival_s = models.PositiveIntegerField()
    start_s = models.PositiveIntegerField()
    departure_s = models.PositiveIntegerField()
    load_after = models.JSONField(default=dict)
    fixed = models.BooleanField(default=False, help_text="Already served when this plan was made.")

    class Meta:
        ordering = ["round", "sequence"]
        constraints = [models.UniqueConstraint(fields=["round", "sequence"], name="delivery_unique_sequence")]


class UnassignedTask(models.Model):
    """A task the plan could not serve, with the routing core's reason."""

    plan = models.ForeignKey(StoredPlan, on_delete=models.CASCADE, related_name="unassigned")
    task = models.ForeignKey(DeliveryTask, on_delete=models.CASCADE, related_name="unassigned_in")
    reason = models.CharField(max_length=40)
    detail = models.CharField(max_length=400, blank=True)

    @property
    def reason_label(self) -> str:
        """The reason as staff read it (:func:`delivery.reasons.reason_fr`)."""
        from .reasons import reason_fr  # noqa: PLC0415 - one home for the planner's reasons

        return reason_fr(self.reason)


class StopEvent(models.Model):
    """What the driver reported at a stop; ``uuid`` comes from the phone so replays count once."""

    class Kind(models.TextChoices):
        DELIVERED = "delivered", "Faite"
        FAILED = "failed", "Échec"

    uuid = models.UUIDField(unique=True)
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="events")
    task = models.ForeignKey(DeliveryTask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField(help_text="Time on the phone when the driver tapped.")
    received_at = models.DateTimeField(auto_now_add=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    proof = models.FileField(upload_to="delivery/proofs/%Y/%m/", blank=True)

    class Meta:
        ordering = ["occurred_at"]


class StopUndo(models.Model):
    """The driver's "Annuler" of a mistaken tap (:mod:`delivery.undo`), accepted within ``UNDO_WINDOW``.

    ``uuid`` comes from the phone so a replay counts once; ``told`` names whom a correction was
    sent to when the undone failure had already been announced to the customer's contact.
    """

    uuid = models.UUIDField(unique=True)
    event = models.OneToOneField(StopEvent, on_delete=models.CASCADE, related_name="undo")
    occurred_at = models.DateTimeField(help_text="Time on the phone when the driver tapped Annuler.")
    received_at = models.DateTimeField(auto_now_add=True)
    told = models.CharField(max_length=200, blank=True)


class Notification(models.Model):
    """A message sent to a customer's contact (failed delivery), kept for the staff's record."""

    task = models.ForeignKey(DeliveryTask, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=20)
    recipient = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField(default=True)

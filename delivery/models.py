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

    name = models.CharField(max_length=120, verbose_name="nom")
    address = models.CharField(max_length=255, verbose_name="adresse")
    lon = models.FloatField(verbose_name="longitude")
    lat = models.FloatField(verbose_name="latitude")
    opens_s = models.PositiveIntegerField(default=7 * 3600, verbose_name="ouverture (secondes depuis minuit)")
    closes_s = models.PositiveIntegerField(default=19 * 3600, verbose_name="fermeture (secondes depuis minuit)")

    def __str__(self) -> str:
        return self.name

    class Meta:
        """Django options."""

        verbose_name = "dépôt"
        verbose_name_plural = "dépôts"


class Van(models.Model):
    """A refrigerated van: capacity per compartment (kg and litres) and running costs."""

    name = models.CharField(max_length=80, unique=True, verbose_name="nom")
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="vans", verbose_name="dépôt")
    ambient_kg = models.PositiveIntegerField(default=400, verbose_name="charge ambiante (kg)")
    ambient_l = models.PositiveIntegerField(default=2000, verbose_name="volume ambiant (l)")
    chilled_kg = models.PositiveIntegerField(default=300, verbose_name="charge frais (kg)")
    chilled_l = models.PositiveIntegerField(default=1200, verbose_name="volume frais (l)")
    frozen_kg = models.PositiveIntegerField(default=100, verbose_name="charge surgelé (kg)")
    frozen_l = models.PositiveIntegerField(default=400, verbose_name="volume surgelé (l)")
    cost_per_km_c = models.PositiveIntegerField(default=35, help_text="Euro cents per km.", verbose_name="coût au kilomètre (centimes)")
    fixed_cost_c = models.PositiveIntegerField(default=0, help_text="Euro cents per day used.", verbose_name="coût fixe par tournée (centimes)")
    max_reloads = models.PositiveSmallIntegerField(
        "rechargements par jour", default=0,
        help_text="Retours au dépôt permis pour recharger la chambre froide et repartir (boucles en plus de la première).")
    reload_min = models.PositiveSmallIntegerField("durée d'un rechargement (min)", default=20)
    active = models.BooleanField(default=True, verbose_name="active")

    class Meta:
        verbose_name = "camionnette"
        verbose_name_plural = "camionnettes"
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
        verbose_name = "secteur de tournée"
        verbose_name_plural = "secteurs de tournée"
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

    date = models.DateField(unique=True, verbose_name="date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, verbose_name="état de la tournée")
    frozen_at = models.DateTimeField(null=True, blank=True, verbose_name="figée le")
    planning_error = models.TextField(blank=True, verbose_name="erreur de planification")
    solve_time_limit_s = models.PositiveIntegerField(default=10, verbose_name="temps de calcul maximal (s)")

    class Meta:
        verbose_name = "jour de livraison"
        verbose_name_plural = "jours de livraison"
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
        verbose_name = "service de chauffeur"
        verbose_name_plural = "services de chauffeur"
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

    day = models.ForeignKey(DeliveryDay, on_delete=models.PROTECT, related_name="tasks", verbose_name="journée")
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name="type de tâche")
    source = models.CharField(max_length=200, unique=True, verbose_name="origine (clé unique)")
    shipment_key = models.CharField(max_length=200, blank=True, db_index=True, verbose_name="clé d'envoi (collecte et livraison)")
    name = models.CharField(max_length=160, help_text="Recipient or vendor name shown to the driver.", verbose_name="nom du destinataire")
    address = models.CharField(max_length=255, verbose_name="adresse")
    phone = models.CharField(max_length=30, blank=True, verbose_name="téléphone")
    lon = models.FloatField(verbose_name="longitude")
    lat = models.FloatField(verbose_name="latitude")
    windows = models.JSONField(default=list, help_text="[[start_s, end_s], ...] seconds since midnight.", verbose_name="créneaux (secondes depuis minuit)")
    service_s = models.PositiveIntegerField(default=300, verbose_name="durée d'arrêt (s)")
    ambient_g = models.PositiveIntegerField(default=0, verbose_name="poids ambiant (g)")
    ambient_ml = models.PositiveIntegerField(default=0, verbose_name="volume ambiant (ml)")
    chilled_g = models.PositiveIntegerField(default=0, verbose_name="poids frais (g)")
    chilled_ml = models.PositiveIntegerField(default=0, verbose_name="volume frais (ml)")
    frozen_g = models.PositiveIntegerField(default=0, verbose_name="poids surgelé (g)")
    frozen_ml = models.PositiveIntegerField(default=0, verbose_name="volume surgelé (ml)")
    crates = models.JSONField(default=list, help_text='[{"number": "C12", "compartment": "chilled"}, ...]', verbose_name="caisses")
    payment_method = models.CharField(max_length=10, choices=Payment.choices, blank=True, default="", verbose_name="moyen de paiement")
    payment_cents = models.PositiveIntegerField(default=0, verbose_name="montant à encaisser (centimes)")
    doorstep_notes = models.CharField(max_length=255, blank=True, verbose_name="consignes de livraison")
    access_codes = models.CharField(max_length=120, blank=True, help_text="Codes d'accès : sur le téléphone seulement, jamais sur papier.", verbose_name="codes d'accès")
    contact_name = models.CharField(max_length=120, blank=True, verbose_name="personne à prévenir")
    contact_phone = models.CharField(max_length=30, blank=True, verbose_name="téléphone de la personne à prévenir")
    contact_email = models.EmailField(blank=True, verbose_name="e-mail de la personne à prévenir")
    relay_point = models.ForeignKey("territory.RelayPoint", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="delivery_tasks", verbose_name="point relais")
    penalty_c = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: mandatory stop.", verbose_name="pénalité si non servie (centimes)")
    urgent = models.BooleanField(default=False, verbose_name="urgente")
    moved_by_staff = models.BooleanField(default=False, help_text="Staff moved it (day or relay point): sources no longer update it.", verbose_name="déplacée par l'équipe")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED, verbose_name="état")
    fail_reason = models.CharField(max_length=20, choices=FailReason.choices, blank=True, verbose_name="motif d'échec")
    done_at = models.DateTimeField(null=True, blank=True, verbose_name="faite le")
    proof = models.FileField(upload_to="delivery/proofs/%Y/%m/", blank=True, verbose_name="preuve (photo)")
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True, default="", verbose_name="suite donnée")
    resolution_by = models.CharField(max_length=150, blank=True, verbose_name="suite décidée par")
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name="suite décidée le")
    follow_up = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="follows", verbose_name="tâche de suite")
    personal_data_erased_at = models.DateTimeField(
        null=True, blank=True, help_text="Quand nom, contacts, consignes, codes et preuves ont été effacés (delivery.retention).", verbose_name="données personnelles effacées le")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="créé le")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="modifié le")

    class Meta:
        verbose_name = "tâche de livraison"
        verbose_name_plural = "tâches de livraison"
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
        verbose_name = "plan enregistré"
        verbose_name_plural = "plans enregistrés"
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
    reloads = models.JSONField(default=list, blank=True, help_text=(
        '[{"after_sequence": 12, "arrival_s": ..., "start_s": ..., "departure_s": ...}, ...]: returns to the '
        "depot to reload; the next loop starts with stop after_sequence + 1."))

    class Meta:
        verbose_name = "tournée"
        verbose_name_plural = "tournées"
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
        verbose_name = "arrêt de tournée"
        verbose_name_plural = "arrêts de tournée"
        ordering = ["round", "sequence"]
        constraints = [models.UniqueConstraint(fields=["round", "sequence"], name="delivery_unique_sequence")]


class UnassignedTask(models.Model):
    """A task the plan could not serve, with the routing core's reason."""

    plan = models.ForeignKey(StoredPlan, on_delete=models.CASCADE, related_name="unassigned")
    task = models.ForeignKey(DeliveryTask, on_delete=models.CASCADE, related_name="unassigned_in")
    reason = models.CharField(max_length=40)
    detail = models.CharField(max_length=400, blank=True)

    class Meta:
        """Django options."""

        verbose_name = "tâche non planifiée"
        verbose_name_plural = "tâches non planifiées"

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
        verbose_name = "événement d'arrêt"
        verbose_name_plural = "événements d'arrêt"
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

    class Meta:
        """Django options."""

        verbose_name = "annulation d'un geste du chauffeur"
        verbose_name_plural = "annulations de gestes du chauffeur"


class Notification(models.Model):
    """A message sent to a customer's contact (failed delivery), kept for the staff's record."""

    task = models.ForeignKey(DeliveryTask, on_delete=models.CASCADE, related_name="notifications")
    channel = models.CharField(max_length=20)
    recipient = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    ok = models.BooleanField(default=True)

    class Meta:
        """Django options."""

        verbose_name = "notification"
        verbose_name_plural = "notifications"

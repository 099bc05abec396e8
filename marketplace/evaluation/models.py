"""Satisfaction answers (shoppers after a delivery, vendors each quarter) and training sessions.

Answers keep the order or vendor only to allow one answer each; the indicators and the annual
report never show who answered.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from marketplace.storefront.models import ShopOrder
from marketplace.vendors.models import Vendor

SCORE = [MinValueValidator(1), MaxValueValidator(4)]


class SurveyAnswer(models.Model):
    """One filled-in questionnaire: three scores from 1 (not at all satisfied) to 4 (very), and a comment."""

    class Audience(models.TextChoices):
        """Who answered."""

        SHOPPER = "shopper", "Clients"
        VENDOR = "vendor", "Commerçants, artisans et producteurs"

    audience = models.CharField(max_length=10, choices=Audience.choices)
    order = models.OneToOneField(ShopOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_answer")
    vendor = models.ForeignKey(Vendor, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_answers")
    quarter = models.CharField(max_length=7, blank=True, help_text="A vendor's quarter, e.g. 2027-T1.")
    q1 = models.PositiveSmallIntegerField(validators=SCORE)
    q2 = models.PositiveSmallIntegerField(validators=SCORE)
    q3 = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.TextField(blank=True, max_length=1000)
    answered_at = models.DateTimeField(db_index=True)

    class Meta:
        """Django options."""

        verbose_name = "réponse au questionnaire de satisfaction"
        verbose_name_plural = "réponses aux questionnaires de satisfaction"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "quarter"], condition=models.Q(audience="vendor"),
                                    name="evaluation_one_answer_per_vendor_quarter"),
            models.CheckConstraint(condition=models.Q(q1__range=(1, 4), q2__range=(1, 4), q3__range=(1, 4)),
                                   name="evaluation_scores_1_to_4"),
        ]


class TrainingSession(models.Model):
    """A training session for merchants in one of the community's three rooms."""

    class Place(models.TextChoices):
        """The rooms the community lends (one per main town)."""

        BAVAY = "bavay", "Bavay"
        LANDRECIES = "landrecies", "Landrecies"
        LE_QUESNOY = "le_quesnoy", "Le Quesnoy"

    place = models.CharField("lieu", max_length=20, choices=Place.choices)
    starts_at = models.DateTimeField("début")
    duration_min = models.PositiveSmallIntegerField("durée (minutes)", default=120)
    topic = models.CharField("thème", max_length=160)
    seats = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1), MaxValueValidator(200)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        """Django options."""

        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.get_place_display()}, {self.starts_at:%d/%m/%Y})"


class TrainingRegistration(models.Model):
    """A vendor's seat at a session; ``attended`` is recorded by staff afterwards (None: not yet)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="registrations")
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="training_registrations")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField()
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        """Django options."""

        verbose_name = "inscription à une formation"
        verbose_name_plural = "inscriptions aux formations"
        ordering = ["session", "vendor__name"]
        constraints = [models.UniqueConstraint(fields=["session", "vendor"], name="evaluation_one_seat_per_vendor")]

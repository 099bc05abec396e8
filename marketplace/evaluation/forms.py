"""Forms of the evaluation pages (French): the questionnaire, a training session, attendance."""

from __future__ import annotations

from django import forms

from .models import TrainingSession
from .survey import SCALE


class SurveyForm(forms.Form):
    """Three answers on the scale and a comment; a missing answer is refused by the action, in its words."""

    q1 = forms.TypedChoiceField(choices=SCALE, coerce=int, required=False, empty_value=None)
    q2 = forms.TypedChoiceField(choices=SCALE, coerce=int, required=False, empty_value=None)
    q3 = forms.TypedChoiceField(choices=SCALE, coerce=int, required=False, empty_value=None)
    comment = forms.CharField(required=False, widget=forms.Textarea)  # cut at 1 000 characters by the action, never refused


class SessionForm(forms.ModelForm):
    """Plan a training session (staff)."""

    class Meta:
        """Django options."""

        model = TrainingSession
        fields = ["place", "starts_at", "duration_min", "topic", "seats"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
        help_texts = {"starts_at": "Date et heure de début (heure de Paris)."}

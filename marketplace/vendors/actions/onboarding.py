"""Onboarding: staff register a vendor and invite its people; a vendor recommends another business; accept."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from common.names import de
from marketplace.saleor.errors import SaleorError
from marketplace.territory import geocoding
from marketplace.vendors.error_codes import VendorErrorCode as Code
from marketplace.vendors.error_codes import error

from ..models import Invitation, Vendor, VendorMembership
from .saleor_sync import sync_vendor_warehouse

#: How long an invitation link stays valid.
INVITATION_TTL = timedelta(days=7)
_SALT = "vendors.invitation"


@dataclass(frozen=True)
class SyncOutcome:
    """Whether a local change also reached Saleor; ``message`` is French, for the user."""

    synced: bool
    message: str


def register_vendor(vendor: Vendor) -> SyncOutcome:
    """Validate and save a vendor, then create or update its Saleor warehouse.

    The vendor is saved even when Saleor is unreachable; saving it again retries the push.

    Raises
    ------
    ValidationError
        When a field is invalid (SIRET, VAT number, hours, commission rate...); nothing is saved.
    """
    vendor.full_clean()
    vendor.save()
    try:
        sync_vendor_warehouse(vendor)
    except SaleorError as exc:
        return SyncOutcome(False, f"Vendeur enregistré, mais l'entrepôt Saleor n'a pas pu être mis à jour : {exc}")
    return SyncOutcome(True, "Vendeur enregistré et entrepôt Saleor à jour.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    """The site-relative path of the signed link that accepts the invitation holding ``token``."""
    signed = signing.TimestampSigner(salt=_SALT).sign(token)
    return reverse("accounts:accept_invitation", kwargs={"signed": signed})


def invite(vendor: Vendor, email: str, invited_by=None, role: str = VendorMembership.Role.OWNER) -> Invitation:
    """Create an invitation and email its link (valid :data:`INVITATION_TTL`).

    Raises
    ------
    ValidationError
        When ``email`` already belongs to a member of another vendor.
    """
    email = email.strip().lower()
    other = VendorMembership.objects.filter(user__email__iexact=email).exclude(vendor=vendor).first()
    if other:
        raise error(Code.EMAIL_ALREADY_MEMBER, email=email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            vendor=vendor, email=email, role=role, token_hash=_hash(token), invited_by=invited_by,
            expires_at=timezone.now() + INVITATION_TTL,
        )
    link = settings.APP_PUBLIC_URL.rstrip("/") + invitation_path(token)
    context = {"vendor": vendor, "link": link, "expires_at": invitation.expires_at}
    send_mail(
        subject=f"Invitation : espace vendeur {de(vendor.name)}",
        message=render_to_string("vendors/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation


@dataclass(frozen=True)
class Recommendation:
    """A business a vendor invites: what the vendor knows of it (the team checks the rest)."""

    name: str
    kind: str
    siret: str
    address: str
    commune: object
    email: str


def _free_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "commerce"
    slug, n = base, 1
    while Vendor.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def recommend_business(referrer: Vendor, business: Recommendation, *, invited_by) -> Invitation:
    """A vendor invites another business, which is registered inactive and recommended by ``referrer``.

    Its owner gets the same invitation staff send, with ``invited_by`` recorded. The team checks and activates the new vendor from its staff page; activating it creates its
    Saleor warehouse (:func:`register_vendor`). Nothing is pushed to Saleor before.

    Raises
    ------
    ValidationError
        ``business_already_here`` when the SIRET is already on the platform; a field's own code
        (SIRET checksum...) when it is invalid; ``email_already_member`` from :func:`invite`.
    """
    siret = "".join(business.siret.split())
    if Vendor.objects.filter(siret=siret).exists():
        raise error(Code.BUSINESS_ALREADY_HERE, siret=siret)
    with transaction.atomic():
        vendor = Vendor(name=business.name.strip(), slug=_free_slug(business.name), kind=business.kind,
                        legal_name=business.name.strip(), siret=siret, address=business.address.strip(),
                        commune=business.commune, email=business.email.strip().lower(), active=False, referred_by=referrer)
        geocoding.place(vendor)
        vendor.full_clean()
        vendor.save()
        return invite(vendor, business.email, invited_by=invited_by, role=VendorMembership.Role.OWNER)


def invitation_from_link(signed: str) -> Invitation | None:
    """The usable invitation behind a signed link, or None if forged, expired or already used."""
    try:
        token = signing.TimestampSigner(salt=_SALT).unsign(signed, max_age=INVITATION_TTL)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    invitation = Invitation.objects.select_related("vendor").filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def accept_invitation(invitation: Invitation, password: str, first_name: str = "", last_name: str = ""):
    """Create (or reuse) the invited user, set its password and make it a member; return the user.

    The user's login is the invited email address.

    Raises
    ------
    ValidationError
        When the invitation is no longer usable, the password is too weak, or the account
        already belongs to another vendor. Nothing is changed then.
    """
    User = get_user_model()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise error(Code.INVITATION_UNUSABLE)
        user = User.objects.filter(username__iexact=invitation.email).first() or User(username=invitation.email, email=invitation.email)
        validate_password(password, user)
        membership = VendorMembership.objects.filter(user=user).first() if user.pk else None
        if membership and membership.vendor_id != invitation.vendor_id:
            raise error(Code.ALREADY_MEMBER)
        user.first_name = first_name or user.first_name
        user.last_name = last_name or user.last_name
        user.set_password(password)
        user.save()
        if membership is None:
            VendorMembership.objects.create(user=user, vendor=invitation.vendor, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user

"""Customers (``User``) as Saleor 3.23 keeps them: unique e-mail and external reference.

The e-mail (lower case) is stored in the indexed ``slug`` column and the external reference in
``sku``, so look-ups by either cost one indexed query.
"""

from __future__ import annotations

from typing import Any

from marketplace.saleor.standin.store import Context, Json, UserError, gid, new_key, now_iso


def user_view(doc: Json) -> Json:
    """Saleor ``User`` (the fields our documents select, and the non-null ones near them)."""
    return {
        "__typename": "User",
        "id": gid("User", doc["key"]),
        "email": doc["email"],
        "firstName": doc.get("firstName") or "",
        "lastName": doc.get("lastName") or "",
        "isActive": doc.get("isActive", True),
        "isConfirmed": doc.get("isConfirmed", True),
        "isStaff": False,
        "externalReference": doc.get("externalReference"),
        "dateJoined": doc["created"],
        "updatedAt": doc["updatedAt"],
        "languageCode": doc.get("languageCode") or "FR_FR",
        "metadata": [],
        "privateMetadata": [],
    }


def user_of(ctx: Context, key: str | None) -> Json | None:
    """The ``User`` view of a stored customer key, or None."""
    doc = ctx.store.get("User", key) if key else None
    return {"id": gid("User", doc["key"]), "email": doc["email"]} if doc else None


def _clean_email(ctx: Context, email: str | None, except_key: str | None = None) -> str:
    email = (email or "").strip()
    if "@" not in email:
        raise UserError("INVALID", "Enter a valid email address.", "email")
    if ctx.store.taken("User", "slug", email.lower(), except_key=except_key):
        raise UserError("UNIQUE", "User with this Email already exists.", "email")
    return email


def q_user(ctx: Context, id: str | None = None, email: str | None = None,
           externalReference: str | None = None, **_: Any) -> Json | None:
    """``user(id | email | externalReference)``: the customer or null."""
    if id:
        doc = ctx.store.find(id, "User")
    elif email:
        doc = ctx.store.find_one("User", slug=email.strip().lower())
    elif externalReference:
        doc = ctx.store.find_one("User", sku=externalReference)
    else:
        doc = None
    return user_view(doc) if doc else None


def m_customer_create(ctx: Context, input: Json, **_: Any) -> Json:
    """``customerCreate``: refuses a taken e-mail or external reference (``UNIQUE``)."""
    email = _clean_email(ctx, input.get("email"))
    reference = input.get("externalReference")
    if reference and ctx.store.taken("User", "sku", reference):
        raise UserError("UNIQUE", "User with this External reference already exists.", "externalReference")
    doc: Json = {"key": new_key(), "email": email, "slug": email.lower(), "sku": reference,
                 "externalReference": reference, "firstName": input.get("firstName") or "",
                 "lastName": input.get("lastName") or "", "isActive": input.get("isActive", True),
                 "isConfirmed": input.get("isConfirmed", True), "languageCode": input.get("languageCode"),
                 "created": now_iso()}
    ctx.store.put("User", doc)
    return {"user": user_view(doc)}


def m_customer_update(ctx: Context, input: Json, id: str | None = None, **_: Any) -> Json:
    """``customerUpdate``: the fields given; an e-mail taken by another customer is ``UNIQUE``."""
    _kind, doc = ctx.store.get_by_gid(id or "", "User")
    if "email" in input and input["email"] is not None:
        doc["email"] = _clean_email(ctx, input["email"], except_key=doc["key"])
        doc["slug"] = doc["email"].lower()
    for name in ("firstName", "lastName", "isActive", "isConfirmed"):
        if input.get(name) is not None:
            doc[name] = input[name]
    ctx.store.put("User", doc)
    return {"user": user_view(doc)}

"""Where is an address? The one module that asks the Base Adresse Nationale (BAN) geocoder.

Production sets ``GEOCODER_URL`` to the BAN search endpoint (``/search/`` of the French
geocoding API: ``q``, ``postcode``, ``citycode``, ``limit``; GeoJSON answer). Answers are cached
(``GEOCODER_CACHE_S``) and each call waits at most ``GEOCODER_TIMEOUT_S`` seconds. Offline (no
URL, the demo, the tests), when the service is down, or when it finds nothing in the right
commune, the position is the commune's town hall, labelled ``position approximative (mairie)``
so nobody mistakes it for the house.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.cache import cache

from .models import Commune

log = logging.getLogger(__name__)

TOWN_HALL_LABEL = "position approximative (mairie)"
#: BAN result types precise enough for the van (a house number, else the street).
PRECISE_TYPES = {"housenumber", "street"}
MIN_SCORE = 0.5


@dataclass(frozen=True)
class Position:
    """A WGS84 point (degrees) with what it is: the BAN's label, or the town-hall fallback."""

    lon: float
    lat: float
    label: str
    approximate: bool
    #: A French sentence when the geocoder could not be asked (down, timed out); else "".
    notice: str = ""


def town_hall(commune: Commune, notice: str = "") -> Position:
    """The commune's town hall, labelled as an approximate position."""
    return Position(commune.town_hall_lon, commune.town_hall_lat, TOWN_HALL_LABEL, True, notice)


def locate(street: str, postcode: str, commune: Commune) -> Position:
    """The position of ``street`` in ``commune``: the BAN's when it finds it there, else the town hall.

    Never raises: a BAN that is down or slow gives the town hall and a ``notice`` to show.
    """
    url = settings.GEOCODER_URL
    if not url:
        return town_hall(commune)
    key = "geocode:" + hashlib.sha256(f"{url}|{street}|{postcode}|{commune.insee}".lower().encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return Position(*cached)
    try:
        response = httpx.get(url, params={"q": f"{street} {postcode} {commune.name}", "postcode": postcode,
                                          "citycode": commune.insee, "limit": 1},
                             timeout=settings.GEOCODER_TIMEOUT_S)
        response.raise_for_status()
        features = response.json().get("features") or []
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("BAN geocoder unavailable (%s): town hall of %s used", exc, commune.name)
        return town_hall(commune, "Le service de localisation des adresses ne répond pas : la camionnette "
                                  "utilisera la position de la mairie en attendant.")
    position = _best(features, commune) or town_hall(commune)
    cache.set(key, (position.lon, position.lat, position.label, position.approximate), settings.GEOCODER_CACHE_S)
    return position


def _best(features: list[dict], commune: Commune) -> Position | None:
    for feature in features:
        props = feature.get("properties") or {}
        if props.get("citycode") != commune.insee or props.get("type") not in PRECISE_TYPES:
            continue
        if float(props.get("score") or 0) < MIN_SCORE:
            continue
        lon, lat = feature["geometry"]["coordinates"][:2]
        return Position(float(lon), float(lat), props.get("label") or "", props.get("type") != "housenumber")
    return None


def place(obj, address_field: str = "address") -> Position | None:
    """Set ``obj.lon``/``obj.lat`` from its one-line address and commune (vendor, relay or pickup point).

    ``"12 rue de la Gare, 59530 Le Quesnoy"``: the street is before the first comma, the postcode
    the first five-digit word after it (else the commune's main one). Returns the position set,
    or None when the object has no commune yet.
    """
    commune = getattr(obj, "commune", None)
    if commune is None:
        return None
    line = getattr(obj, address_field) or ""
    street, _, rest = line.partition(",")
    postcode = next((w for w in rest.split() if w.isdigit() and len(w) == 5), commune.main_postal_code)
    position = locate(street.strip() or line, postcode, commune)
    obj.lon, obj.lat = position.lon, position.lat
    return position

"""Command line: ``python -m integrations.prestashop pull-catalogue --url URL --key KEY [--language-id N] --out FILE.json``.

Runs without Django or a database: the client reads the shop and the mapping normalises it.
Nothing is written unless the whole read succeeded. Exit status (:data:`EXIT`):

- 0: done (skipped records and products to review are listed in the file and on stderr);
- 2: the key was refused (the message names PrestaShop's code, or says there was none);
- 3: the shop did not answer, or kept answering an HTTP error;
- 4: what answered is not the PrestaShop Webservice (an empty body, an HTML page, a JSON scalar,
  XML without the ``prestashop`` root), or its answer could not be parsed;
- 5: the French language cannot be known (``languages`` not readable: give ``--language-id``),
  or the id given is another language;
- 64: bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from .client import PrestaShopClient
from .errors import (
    LanguageNotFrench,
    LanguageUnknown,
    MalformedResponse,
    NotPrestaShopAnswer,
    PrestaShopAuthError,
    PrestaShopError,
)
from .pull import pull_catalogue

#: Exit status of each outcome (documented in the README).
EXIT = {"done": 0, "key_refused": 2, "unreadable": 3, "not_prestashop": 4, "language": 5, "usage": 64}


def build_parser() -> argparse.ArgumentParser:
    """The ``pull-catalogue`` command and its options."""
    parser = argparse.ArgumentParser(prog="python -m integrations.prestashop",
                                     description="Bridge to a PrestaShop Webservice (CCI Grand Hainaut).")
    sub = parser.add_subparsers(dest="command", required=True)
    pull = sub.add_parser("pull-catalogue", help="read the catalogue and write it as normalised JSON")
    pull.add_argument("--url", required=True, help="shop URL, e.g. https://shop.example/ (or .../api/)")
    pull.add_argument("--key", default=os.environ.get("PRESTASHOP_KEY", ""),
                      help="Webservice key (default: $PRESTASHOP_KEY)")
    pull.add_argument("--out", required=True, type=Path, help="output JSON file ('-' for stdout)")
    pull.add_argument("--language-id", type=int, default=None, metavar="N",
                      help="id of the French language on the shop; needed when the key may not read "
                           "'languages' (checked against the shop when it may)")
    pull.add_argument("--format", choices=["XML", "JSON"], default="XML", help="read format (default XML)")
    pull.add_argument("--vendor-by", choices=["manufacturer", "supplier", "shop"], default="manufacturer",
                      help="what a vendor is on the shop (default: manufacturer, else the shop)")
    pull.add_argument("--since", help="only products with date_upd >= this (YYYY-MM-DD HH:MM:SS)")
    pull.add_argument("--page-size", type=int, default=100, help="products per request (default 100)")
    pull.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    pull.add_argument("--auth", choices=["basic", "query"], default="basic",
                      help="send the key as Basic-auth user (default) or as ?ws_key=")
    pull.add_argument("-v", "--verbose", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        client = PrestaShopClient(args.url, args.key, output_format=args.format, timeout=args.timeout, auth=args.auth)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT["usage"]
    try:
        with client:
            catalogue = pull_catalogue(client, page_size=args.page_size, vendor_mode=args.vendor_by, since=args.since,
                                       french_id=args.language_id)
    except PrestaShopAuthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT["key_refused"]
    except (LanguageUnknown, LanguageNotFrench) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT["language"]
    except (NotPrestaShopAnswer, MalformedResponse) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT["not_prestashop"]
    except PrestaShopError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT["unreadable"]
    text = json.dumps(catalogue.to_json(), ensure_ascii=False, indent=2)
    if str(args.out) == "-":
        sys.stdout.write(text + "\n")
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".part")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(args.out)
    for item in catalogue.skipped:
        print(f"skipped {item.resource} {item.ps_id}: {item.reason}", file=sys.stderr)
    for product in catalogue.products:
        for review in product.review:
            print(f"to review: product {product.ps_id} ({review.code}): {review.reason}", file=sys.stderr)
    totals = catalogue.to_json()["totals"]
    print(f"{totals['products']} products ({totals['review']} to review, unpublished), {totals['variants']} variants, "
          f"{totals['vendors']} vendors, {totals['skipped']} skipped, {catalogue.request_count} requests",
          file=sys.stderr)
    return EXIT["done"]


if __name__ == "__main__":
    sys.exit(main())

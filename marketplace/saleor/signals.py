"""What the Saleor adapter announces to the other apps, as Django signals (it never imports them)."""

from django.dispatch import Signal

#: Sent after the App wrote to Saleor's catalogue (a product, variant, price, stock, media or
#: metadata), whether the write succeeded or not; no arguments besides ``sender``.
catalogue_changed = Signal()

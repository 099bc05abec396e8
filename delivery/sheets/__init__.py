"""Route sheets for the van driver: printed PDF, overview map and GPX, built from plain data.

Nothing here imports Django: the Django side (``delivery.selectors``) fills the dataclasses of
:mod:`delivery.sheets.data` and these modules turn them into bytes.
"""

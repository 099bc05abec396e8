"""Web entry points of delivery: staff pages, sheet downloads, the driver's phone view."""

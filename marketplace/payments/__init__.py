"""Payments the Saleor 3 way: this App is the payment app for what is paid at the door, the shop or the relay."""

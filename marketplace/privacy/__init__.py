"""Personal data: what is kept and for how long, a shopper's export and erasure (GDPR)."""

"""Short circuit: producers sell in weekly order cycles; customers collect at pickup points or get the van."""

"""Open-access policy of each member library: what it allows, checked at deposit."""

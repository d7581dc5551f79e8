"""The tenant registry: member libraries of the consortium."""

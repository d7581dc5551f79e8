"""Bringing a library's existing repository in: harvest, map, create/update/delete, report."""

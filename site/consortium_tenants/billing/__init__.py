"""Centralised billing: daily usage snapshots, tariffs and statements per library."""

"""Shared S3 storage: per-library locations, quotas and usage accounting."""

"""Webhooks to the level above: an organisation's endpoints, signed deliveries, their log."""

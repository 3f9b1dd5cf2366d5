"""Browsing the audit log (administrators)."""

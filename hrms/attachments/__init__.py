"""Scanned documents of a dossier (diplomas, decisions, ID cards, health certificates, photo)."""

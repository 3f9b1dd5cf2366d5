"""Staff ask for corrections to their own dossier; a personnel officer in scope decides."""

"""Accounts, role grants bound to units, sign-in with lockout, passwords."""

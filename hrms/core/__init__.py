"""Shared kernel: database base classes, security, audit, errors, forms and text helpers."""

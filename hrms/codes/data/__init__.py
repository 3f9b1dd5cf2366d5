"""Seed data of the code lists that comes from outside sources, vendored as plain files.

A migration must give the same rows whenever it runs, so the administrative units are read from
a file generated once from the ``vietnam-provinces`` package (``admin_units.py``), not from
whatever version of the package happens to be installed. A file is never edited after its
migration is released: newer data goes into a new file and a new migration.
"""

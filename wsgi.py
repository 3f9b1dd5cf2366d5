"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc

from hrms.app import create_app

app = create_app()
# What exists now (modules, mappers, the app) lives as long as the process: frozen, it is no
# longer walked by every full garbage collection, which otherwise adds tens of milliseconds to
# one request in ten (bench/run.py does the same after creating its app).
gc.collect()
gc.freeze()

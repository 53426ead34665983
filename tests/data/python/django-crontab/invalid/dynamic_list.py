# path: mysite/settings.py
"""CRONJOBS computed at run time: no entry can be read (a diagnostic says so)."""
from .jobs import load_jobs

CRONJOBS = load_jobs()

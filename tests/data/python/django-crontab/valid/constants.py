# path: project/settings.py
"""CRONJOBS built from constants and appended to later."""
EVERY = 10
HOUR = 3
MANAGE = "django.core.management.call_command"

CRONJOBS = [
    (f"*/{EVERY} * * * *", "project.jobs.poll"),
    (f"{0} {HOUR} * * *", MANAGE, ["clearsessions"]),
]
CRONJOBS.append(("15 %d 1,15 * *" % (HOUR + 1), "project.jobs.twice_monthly"))
CRONJOBS += [("0 12 * * 6,0", "project.jobs.weekend")]

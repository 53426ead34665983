"""`host-maintenance`: jobs that look after the batch server itself.

Log rotation, `run-parts /etc/cron.*`, package updates, certificate renewal on the host,
clock setting, `find /tmp ... -delete`, Docker pruning, locate/man databases, sysstat, file
system trims, configuration-management agents, restarts of host services. None of them has
a server to act on once the job runs as a Fargate task; the finding suggests `active: false`.
"""

from __future__ import annotations

import re

from migrate.analysis.codes import HOST_MAINTENANCE
from migrate.analysis.shell import Segment, parse_shell
from migrate.model import Finding, Job

PROGRAMS = frozenset({
    "logrotate", "apt", "apt-get", "aptitude", "unattended-upgrade", "unattended-upgrades",
    "yum", "dnf", "zypper", "apk", "yum-cron", "dnf-automatic", "ntpdate", "sntp", "chronyc",
    "rdate", "hwclock", "ntpsetclock", "tmpreaper", "tmpwatch", "updatedb", "mandb", "makewhatis",
    "fstrim", "e2scrub_all", "sa1", "sa2", "debian-sa1", "popularity-contest", "aide",
    "rkhunter", "chkrootkit", "freshclam", "needrestart", "anacron", "sessionclean",
    "puppet", "chef-client", "salt-call", "ansible-pull", "reboot", "shutdown", "poweroff",
    "atsar", "atop", "sysstat", "logwatch", "etckeeper", "mdadm", "smartctl",
})
# Scripts Debian and Red Hat packages drop into /etc/cron.{hourly,daily,weekly,monthly}/.
PACKAGE_PERIODIC_SCRIPTS = frozenset({
    "logrotate", "man-db", "apt-compat", "dpkg", "passwd", "bsdmainutils", "mlocate",
    "plocate", "locate", "0anacron", "sysstat", "apache2", "exim4-base", "aptitude",
    "popularity-contest", "cracklib-runtime", "ntp", "debsums", "quota", "standard",
    "0yum-daily.cron", "0yum-hourly.cron", "man-db.cron", "mlocate.cron", "rhsmd",
    "raid-check", "makewhatis.cron", "tmpwatch", "certwatch", "prelink", "yum-cron",
    "dnf-automatic", "chkrootkit", "rkhunter", "e2scrub_all", "fstrim", "unattended-upgrades",
    "google-chrome", "apt", "htdig", "spamassassin", "clamav-freshclam", "sa-update",
    "php", "sendmail", "postfix", "0logwatch", "logwatch", "aide", "mdadm", "etckeeper",
})
_RENEWERS = frozenset({"certbot", "certbot-auto", "letsencrypt", "acme.sh", "dehydrated",
                       "lego"})
_SERVICES = frozenset({"systemctl", "service", "invoke-rc.d", "rc-service"})
_HOST_TMP = ("/tmp", "/var/tmp", "/var/log", "/var/cache")
# Cheap test first: the command's words (split at blanks, slashes and shell punctuation).
_MARKERS = PROGRAMS | _RENEWERS | _SERVICES | PACKAGE_PERIODIC_SCRIPTS | {
    "run-parts", "prune", "find", "journalctl", "proc", "rm", "init.d", "anacron", "sessionclean"}
_SPLIT = re.compile(r"[\s;&|()<>'\"`=/]+")


def _reason(seg: Segment) -> str | None:
    prog, args = seg.program, seg.args
    if seg.command_word.startswith("/etc/cron.") and prog in PACKAGE_PERIODIC_SCRIPTS:
        return f"{seg.command_word} is a periodic script a distribution package installs"
    if prog in PROGRAMS:
        return f"{prog} maintains the host"
    if prog == "run-parts" and any(a.startswith("/etc/cron.") for a in args):
        return "run-parts runs the host's periodic maintenance scripts"
    if prog in _RENEWERS and ("renew" in args or "--cron" in args or "--renew-all" in args):
        return f"{prog} renews the host's certificates"
    if prog in ("docker", "podman") and "prune" in args:
        return f"{prog} prune cleans the host's container storage"
    if prog == "journalctl" and any(a.startswith("--vacuum") for a in args):
        return "journalctl vacuums the host's journal"
    if prog == "find" and any(a.rstrip("/").startswith(_HOST_TMP) for a in args[:1]) and (
        "-delete" in args or ("-exec" in args and "rm" in args)
    ):
        return f"find cleans {args[0]} on the host"
    if prog == "rm" and any(a.startswith(("/tmp/", "/var/tmp/")) and "*" in a for a in args):
        return "rm cleans the host's temporary files"
    if prog in _SERVICES and any(a in ("restart", "reload", "start", "stop") for a in args):
        return f"{prog} controls a service on the host"
    if seg.command_word.startswith("/etc/init.d/"):
        return "an init script controls a service on the host"
    if prog in ("test", "[") and any(a in ("/usr/sbin/anacron", "/usr/lib/php/sessionclean")
                              for a in args):
        return "the distribution's own cron job"
    if any(r.target.startswith("/proc/sys/") for r in seg.redirects if r.writes):
        return "writes kernel settings of the host"
    return None


def check(job: Job) -> list[Finding]:
    text = job.command.shell
    if _MARKERS.isdisjoint(_SPLIT.split(text)):
        return []
    for seg in parse_shell(text):
        reason = _reason(seg)
        if reason is not None:
            evidence = " ".join((seg.command_word, *seg.args))[:100]
            return [HOST_MAINTENANCE.finding(f"{reason}: suggest active: false", evidence)]
    return []

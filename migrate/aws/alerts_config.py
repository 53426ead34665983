"""`alerts:` in migrate.yaml, read into an `Alerts` value (see aws/config/ and alerts.py).

```yaml
alerts:
  topic: create            # or an SNS topic ARN in the environment's region
  email: [ops@example.com] # default: the MAILTO addresses of the jobs deployed there
  on: [failed, failed-to-start]
```
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

ALERT_ON = ("failed", "failed-to-start")
CREATE = "create"
EMAIL = re.compile(r"[^@\s,;<>()\[\]\\\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
TOPIC_ARN = re.compile(r"arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})")
ErrorFn = Callable[..., Exception]


@dataclass(frozen=True, slots=True)
class Alerts:
    topic: str = CREATE  # "create" or an SNS topic ARN
    email: tuple[str, ...] | None = None  # None: the MAILTO addresses of the deployed jobs
    on: tuple[str, ...] = ALERT_ON


def read_alerts(raw: Any, key: str, error: ErrorFn, region: str) -> Alerts | None:
    """`alerts:` of one environment (`key`: its dotted key) -> Alerts; `error(key,
    expected, value, got=True)` builds the line-numbered ConfigError of aws/config/reader.py."""
    if raw is None:
        return None
    if isinstance(raw, Mapping) and True in raw:  # YAML 1.1 (PyYAML) reads the key `on` as true
        raw = {("on" if k is True else k): v for k, v in raw.items()}
    if not isinstance(raw, Mapping) or set(raw) - {"topic", "email", "on"}:
        raise error(key, "a mapping with topic, email and on", raw)
    topic = raw.get("topic", CREATE)
    m = TOPIC_ARN.fullmatch(topic) if isinstance(topic, str) else None
    if topic != CREATE and m is None:
        raise error(f"{key}.topic", "'create' or an SNS topic ARN "
                      "(arn:aws:sns:REGION:ACCOUNT:NAME)", topic)
    if m is not None and m.group(2) != region:
        raise error(f"{key}.topic", f"a topic in the environment's region {region} "
                      "(EventBridge rules target SNS topics of their own region)", topic)
    email = raw.get("email")
    if email is not None:
        if isinstance(email, str):
            email = [email]
        if not isinstance(email, list):
            raise error(f"{key}.email", "a list of email addresses", email)
        for i, e in enumerate(email):
            if not isinstance(e, str) or not EMAIL.fullmatch(e):
                raise error(f"{key}.email[{i}]", "an email address (name@example.com)", e)
    on = raw.get("on", list(ALERT_ON))
    if not isinstance(on, list) or not on or any(x not in ALERT_ON for x in on):
        raise error(f"{key}.on", "a non-empty list of " + ", ".join(ALERT_ON), on)
    return Alerts(topic=topic, email=None if email is None else tuple(dict.fromkeys(email)),
                  on=tuple(x for x in ALERT_ON if x in on))

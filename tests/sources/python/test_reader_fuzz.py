"""The reader never raises on bad input: random text, truncated and mangled schedule files,
and generated Python built from the constructs the readers look at."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.sources.python import read_python_schedules

DATA = Path(__file__).parents[2] / "data" / "python"
SOURCES = [p.read_text() for p in sorted(DATA.glob("*/*/*.py"))]


def check(text: str) -> None:
    result = read_python_schedules(text, "fuzz.py", timezone="UTC")
    for job in result.jobs:
        assert job.source.path == "fuzz.py"
        assert all(f.message.startswith("fuzz.py:") for f in job.findings)
    for diagnostic in result.diagnostics:
        assert str(diagnostic).startswith("fuzz.py:")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(SOURCES), data=st.data())
def test_mangled_sources(source: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(source)))
    mode = data.draw(st.sampled_from(["truncate", "delete", "insert", "swap-lines"]))
    if mode == "truncate":
        text = source[:cut]
    elif mode == "delete":
        text = source[:cut] + source[cut + data.draw(st.integers(1, 20)):]
    elif mode == "insert":
        text = source[:cut] + data.draw(st.sampled_from(
            ["(", ")", "]", "{", "**", "*", ",", "'", '"', "\n", "    ", "lambda: ", "None",
             "0/0", "x" * 3, "* 10 ** 9", "%", "f'{", "os.environ", "[", "\\"])) + source[cut:]
    else:
        lines = source.splitlines()
        if len(lines) > 1:
            i = data.draw(st.integers(0, len(lines) - 2))
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        text = "\n".join(lines)
    check(text)


ATOMS = st.sampled_from([
    "0", "5", "-1", "7", "24", "60", "1.5", "True", "None", "'*/15'", "'mon-fri'", "'22-2'",
    "'last'", "'2nd fri'", "'*/0'", "'5/15'", "''", "'x'", "EVERY", "[1, 2]", "range(3)",
    "(1,)", "{}", "os.environ['X']", "f'*/{EVERY}'", "'%d' % EVERY", "EVERY * 2", "EVERY ** 99",
    "'x' * 99999", "'%099999d' % 1", "{**X}", "[*Y]", "lambda: 1", "[h for h in H]",
    "'{:{}}'.format(1, 99999)", "datetime(2027, 1, 1)", "'2027-01-01 00:00'", "pytz.utc",
    "ZoneInfo('Asia/Tokyo')", "'Nowhere/City'", "1e308 * 10", "10 ** 400", "-'x'", "not 0",
])
KEYS = st.sampled_from([
    "minute", "hour", "day_of_week", "day_of_month", "month_of_year", "day", "month", "week",
    "year", "second", "weeks", "days", "hours", "minutes", "seconds", "start_date", "end_date",
    "timezone", "jitter", "args", "kwargs", "id", "name", "foo",
])


def call(name: str) -> st.SearchStrategy[str]:
    kwargs = st.lists(st.tuples(KEYS, ATOMS).map(lambda kv: f"{kv[0]}={kv[1]}"), max_size=4)
    args = st.lists(ATOMS, max_size=3)
    return st.tuples(args, kwargs).map(lambda ak: f"{name}({', '.join(ak[0] + ak[1])})")


SCHEDULES = st.one_of(ATOMS, call("crontab"), call("timedelta"), call("solar"),
                      call("crontab.from_string"), call("schedule"))
TRIGGERS = st.one_of(st.sampled_from(["'cron'", "'interval'", "'date'", "'bogus'", "None"]),
                     call("CronTrigger"), call("IntervalTrigger"),
                     call("CronTrigger.from_crontab"))


@st.composite
def statements(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return f"EVERY = {draw(ATOMS)}"
    if kind == 1:
        entry = f"{{'task': {draw(ATOMS)}, 'schedule': {draw(SCHEDULES)}, 'args': {draw(ATOMS)}}}"
        return f"app.conf.beat_schedule = {{{draw(ATOMS)}: {entry}}}"
    if kind == 2:
        return f"CELERY_BEAT_SCHEDULE[{draw(ATOMS)}] = {{'schedule': {draw(SCHEDULES)}}}"
    if kind == 3:
        return f"CRONJOBS = [({draw(ATOMS)}, {draw(ATOMS)}, {draw(ATOMS)}), {draw(ATOMS)}]"
    if kind == 4:
        kwargs = ", ".join(draw(st.lists(st.tuples(KEYS, ATOMS).map(
            lambda kv: f"{kv[0]}={kv[1]}"), max_size=4)))
        return f"scheduler.add_job(job, {draw(TRIGGERS)}, {kwargs})"
    if kind == 5:
        return f"@scheduler.scheduled_job({draw(TRIGGERS)})\ndef job():\n    pass"
    if kind == 6:
        return f"for EVERY in {draw(ATOMS)}:\n    scheduler.add_job(job, 'cron', minute=EVERY)"
    return f"sender.add_periodic_task({draw(SCHEDULES)}, task.s({draw(ATOMS)}), name={draw(ATOMS)})"


HEADER = ("import os\nfrom celery import Celery\nfrom celery.schedules import crontab\n"
          "from apscheduler.schedulers.background import BackgroundScheduler\n"
          "app = Celery('proj')\nscheduler = BackgroundScheduler()\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(statements(), min_size=1, max_size=6))
def test_generated_schedule_files(body: list[str]) -> None:
    check(HEADER + "\n".join(body) + "\n")


def test_deep_nesting_is_a_diagnostic() -> None:
    result = read_python_schedules("x = " + "(" * 5000 + "1" + ")" * 5000 + "\nCRONJOBS = []",
                                   "deep.py", timezone="UTC")
    assert result.jobs == []
    assert [str(d) for d in result.diagnostics] in ([], ["deep.py:1: not readable: nested "
                                                         "too deeply"]) or all(
        str(d).startswith("deep.py:1") for d in result.diagnostics)

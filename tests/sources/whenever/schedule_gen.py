"""Random schedule.rb files drawn from the whenever DSL, for agreement with real whenever.

`generate(rng)` writes one file: `set`/`env`/`job_type` lines, `every` blocks with numeric
durations, symbols, strings (raw cron, day names), arrays; `at:` as strings, comma lists,
arrays, integers, ranges; command/rake/runner/script/custom jobs with per-job options;
output as string/nil/hash; `mailto:`, `roles:`; and the Ruby around it (locals, constants,
interpolation, iteration, `case`/`if`/`unless` on `@environment`, brace blocks). A minority
of draws is invalid on purpose (whenever raises): agreement then means both fail.
"""

from __future__ import annotations

import random

UNITS = [
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
] * 4 + ["year", "years", "second", "seconds"]
SYMBOLS = [
    ":minute",
    ":hour",
    ":day",
    ":week",
    ":month",
    ":year",
    ":sunday",
    ":monday",
    ":tuesday",
    ":wednesday",
    ":thursday",
    ":friday",
    ":saturday",
    ":weekday",
    ":weekend",
]
SHORTCUTS = [
    ":reboot",
    ":yearly",
    ":annually",
    ":monthly",
    ":weekly",
    ":daily",
    ":midnight",
    ":hourly",
]
STRINGS = [
    "'0 0 * * *'",
    "'*/5 * * * *'",
    "'15 3 * * 1-5'",
    "'0 0 1 * *'",
    "'weekday'",
    "'weekend'",
    "'mon,wed,fri'",
    "'monday, friday'",
    "'@daily'",
    "'@hourly'",
    "'0 12 * * mon'",
    "'30 2 1,15 * *'",
    "'sunday'",
    "'Tuesday'",
    "'0 0 * jan,jul *'",
    "'45 23 * * 0'",
    "'0 0 * * MON-FRI'",
    "'0 12 1 JAN *'",
    "'@weekly'",
    "'*/15 * * * sun'",
    "'0 */4 * * *'",
]
BAD_STRINGS = ["'5.minutes'", "'0 0  * * *'", "'1-5'"]
AT_STRINGS = [
    "4:30 am",
    "12pm",
    "0:05",
    "3:15 pm",
    "noon",
    "midnight",
    "January 5th 2am",
    "start of the month at 4am",
    "10:30pm",
    "1am",
    "11:59 PM",
    "6.00 pm",
    "00:35am",
    "12:00 am",
    "13:00",
    "20:00",
    "9:01 pm",
    "March 3rd 5:15 pm",
    "jan 1 12:00",
    "1.15am",
    "4:30",
    "5:00",
    "7:00",
    "12:00",
    "0:00",
    "2am, 3:30pm",
    "Dec 25 8pm",
    "noon, midnight",
    "4am",
    "11pm",
    "12:30am",
    "8:10am",
    "2:45pm",
    "16:20",
    "feb 29 1am",
    "June 15th at 6pm",
    "1/15 3am",
    "quarter past 5",
    "tomorrow 4am",
    "3pm on the 15th",
    "morning",
    "the 1st",
    "garbage",
    "",
    "23:59",
    "4:30 am,6pm",
    "July 4th",
    "sept 9 9:09am",
    "12:15 a.m.",
    "6:45 P.M.",
    "07:30",
    "1430",
]
TASKS = [
    "db:backup",
    "reports:daily",
    "cache:clear",
    "sitemap:refresh[1]",
    "mail:digest",
    "cleanup",
]
COMMANDS = [
    "echo hello",
    "/usr/bin/backup.sh --all",
    "cd /tmp && ls -la",
    "date +%Y-%m-%d",
    "echo 'it''s'",
    'echo "quoted"',
    "find /tmp -mtime +7 -delete",
    "rm -rf /tmp/x*",
    "php artisan schedule:run",
    "curl -s http://127.0.0.1/ping",
    "echo 50%",
]
RUNNERS = ["User.cleanup!", "Report.generate('daily')", 'Mailer.send("x")', "Foo::Bar.run(1)"]
OUTPUTS = [
    "'log/cron.log'",
    "nil",
    "{error: 'log/error.log', standard: 'log/cron.log'}",
    "{standard: nil}",
    "{error: nil}",
    "{standard: nil, error: nil}",
    "{standard: 'out.log'}",
    "{error: 'err.log'}",
    "'/dev/null'",
    "{standard: 'a.log', error: nil}",
    "{ :standard => 'x.log' }",
    "false",
    "''",
]
TEMPLATES = [
    "'cd :path && :environment_variable=:environment bin/rake :task :output'",
    "'cd :path && :task :output'",
    "\"ruby ':task' :output\"",
    "'echo \":task\" >> :path/log'",
]


def _q(text: str, rng: random.Random) -> str:
    if "'" not in text and "\\" not in text and rng.random() < 0.5:
        return "'" + text + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("#", "\\#") + '"'


_LIMIT = {"week": 5, "month": 13, "year": 2, "second": 120}


def frequency(rng: random.Random, allow_array: bool = True) -> str:
    r = rng.random()
    if r < 0.45:
        unit = rng.choice(UNITS)
        if rng.random() < 0.6:
            n = rng.choice([1, 1, 2, 3, 5, 10, 15, 20, 30, 40, 45, 59, 90, 120, 6, 12, 4, 7, 8])
        else:
            n = rng.randint(1, 100)
        limit = _LIMIT.get(unit.rstrip("s"))
        if limit is not None and rng.random() < 0.9:
            n = 1 + n % limit
        return f"{n}.{unit}"
    if r < 0.65:
        return rng.choice(SYMBOLS)
    if r < 0.72:
        return rng.choice(SHORTCUTS)
    if r < 0.86 or not allow_array:
        return rng.choice(STRINGS if rng.random() < 0.9 else BAD_STRINGS)
    items = [frequency(rng, allow_array=False) for _ in range(rng.randint(1, 3))]
    return "[" + ", ".join(items) + "]"


def at_value(rng: random.Random, minutes: bool = False) -> str:
    r = rng.random()
    if minutes and r < 0.9:  # whenever wants an integer offset for minute frequencies
        return str(rng.choice([0, 1, 2, 3, 5, 7]))
    if r < 0.55:
        return _q(rng.choice(AT_STRINGS), rng)
    if r < 0.75:
        items = [_q(rng.choice(AT_STRINGS), rng) for _ in range(rng.randint(1, 3))]
        return "[" + ", ".join(items) + "]"
    if r < 0.93:
        return str(rng.choice([0, 1, 5, 15, 23, 30, 45, 59, 2, 12, 31, 60, 24, 13]))
    if r < 0.97:
        return "[" + ", ".join(str(rng.randint(0, 30)) for _ in range(rng.randint(1, 3))) + "]"
    return rng.choice(["nil", "(1..3)"])


def options(rng: random.Random, keys: list[str], rocket: bool, minutes: bool = False) -> str:
    parts = []
    for key in keys:
        if key == "at":
            value = at_value(rng, minutes)
        elif key == "roles":
            value = rng.choice(["[:app]", "[:db, :worker]", ":web", "[]"])
        elif key == "mailto":
            value = rng.choice(["'ops@example.com'", "'dev@example.com'", "nil"])
        elif key == "output":
            value = rng.choice(OUTPUTS)
        elif key == "environment":
            value = rng.choice(["'staging'", "'development'", ":test", "nil"])
        elif key == "path":
            value = rng.choice(["'/srv/app'", "'/var/www/my app'", "'/opt/ünï'"])
        elif key == "job_template":
            value = rng.choice(["nil", "\"sh -c ':job'\"", '"nice -n 5 :job"'])
        else:
            value = "'x'"
        parts.append(f":{key} => {value}" if rocket else f"{key}: {value}")
    return ", ".join(parts)


def job_call(rng: random.Random, custom: list[str]) -> str:
    kind = rng.choice(["command", "command", "rake", "rake", "runner", "script", *custom])
    if kind == "command":
        task = _q(rng.choice(COMMANDS), rng)
    elif kind == "runner":
        task = _q(rng.choice(RUNNERS), rng)
    elif kind == "script":
        task = _q(rng.choice(["cleanup.sh", "nightly", "sync --fast"]), rng)
    else:
        task = _q(rng.choice(TASKS), rng)
    opts = ""
    if rng.random() < 0.35:
        keys = rng.sample(
            ["output", "environment", "path", "at", "mailto", "roles", "job_template"],
            rng.randint(1, 2),
        )
        opts = ", " + options(rng, keys, rng.random() < 0.3)
    return f"{kind} {task}{opts}"


def ruby_extras(rng: random.Random, lines: list[str]) -> list[str]:
    """Locals, constants, iteration, case: the Ruby real schedule files wrap the DSL in."""
    r = rng.random()
    if r < 0.1:
        lines += ["LOG = 'log/cron.log'", "app = '/srv/shop'"]
        return ["every 1.day, at: '3am' do", '  command "cd #{app} && ./run >> #{LOG}"', "end"]
    if r < 0.2:
        lines.append(f"tasks = %w({' '.join(rng.sample(TASKS[:5], 2))})")
        return [
            "tasks.each_with_index do |t, i|",
            '  every :day, at: "#{8 + i}:#{i * 15}" do',
            "    rake t",
            "  end",
            "end",
        ]
    if r < 0.28:
        return [
            "{ 'a' => 5, 'b' => 10 }.each_pair do |name, minutes|",
            "  every minutes.minutes do",
            '    command "echo #{name}"',
            "  end",
            "end",
        ]
    if r < 0.36:
        return [
            "case @environment",
            "when 'production'",
            "  every :hour do",
            "    rake 'prod:only'",
            "  end",
            "when 'staging', 'qa'",
            "  every 2.hours do",
            "    rake 'staging:only'",
            "  end",
            "else",
            "  every :day do",
            "    rake 'other'",
            "  end",
            "end",
        ]
    if r < 0.42:
        lines += [
            "set :ruby_v, '3.1.2'",
            "job_type :versioned, 'cd :path && RUBY=:ruby_v ruby :task :output'",
        ]
        return ["every Whenever.seconds(2, :hours) do", "  versioned 'x.rb'", "end"]
    if r < 0.47:
        return [
            "unless @environment == 'staging'",
            "  every 6.hours do",
            "    command 'not staging', job_template: nil",
            "  end",
            "end",
        ]
    if r < 0.55:
        return [
            "every(2.hours, :at => 30) { command 'braces' }",
            "every 3600 * 3 do",
            "  command 'arith'",
            "end",
        ]
    if r < 0.62:
        return [f"every {rng.choice(STRINGS)} do", '  rake "cron:#{@environment}"', "end"]
    if r < 0.68:
        lines.append("set :path, '/srv/my app'")
        return [
            "every :weekday, at: '9:00 am' do",
            "  command \"cd #{path} && echo 'x'\\n   done\"",
            "end",
        ]
    if r < 0.7:
        return ["every 1.day do", f"  runner :{rng.choice(['sym', 'x'])}", "end"]
    return []


def generate(rng: random.Random) -> str:
    lines: list[str] = []
    custom: list[str] = []
    extra = ruby_extras(rng, lines)
    if rng.random() < 0.3:
        lines.append(f"set :output, {rng.choice(OUTPUTS)}")
    if rng.random() < 0.2:
        lines.append("set :chronic_options, hours24: true")
    if rng.random() < 0.15:
        lines.append(
            rng.choice(
                [
                    "set :job_template, \"bash -l -c ':job'\"",
                    "set :job_template, nil",
                    "set :job_template, \"/usr/bin/zsh -c ':job'\"",
                ]
            )
        )
    if rng.random() < 0.15:
        lines.append(
            rng.choice(
                [
                    "set :environment, 'staging'",
                    "set :path, '/srv/app'",
                    "set :bundle_command, 'bin/bundle exec'",
                    "set :environment_variable, 'RACK_ENV'",
                    "set :runner_command, 'bin/rails runner'",
                ]
            )
        )
    for _ in range(rng.choice([0, 0, 1, 2])):
        lines.append(
            rng.choice(
                [
                    "env :PATH, '/usr/local/bin:/usr/bin:/bin'",
                    "env 'MAILTO', 'ops@example.com'",
                    "env :EMPTY, ''",
                    "env :NOTHING, nil",
                    "env :RETRIES, 3",
                    "env :PATH, ENV['PATH']",
                ]
            )
        )
    if rng.random() < 0.25:
        name = rng.choice(["bundle_rake", "envcommand", "ruby_script"])
        lines.append(f"job_type :{name}, {rng.choice(TEMPLATES)}")
        custom.append(name)
    for _ in range(rng.randint(1, 5)):
        freq = frequency(rng)
        keys = []
        shortcut = any(k in freq for k in SHORTCUTS)
        if rng.random() < (0.05 if shortcut else 0.55):
            keys.append("at")
        for key, chance in (("roles", 0.15), ("mailto", 0.1), ("output", 0.1)):
            if rng.random() < chance:
                keys.append(key)
        opts = options(rng, keys, rng.random() < 0.3, minutes=".minute" in freq)
        head = f"every {freq}" + (f", {opts}" if opts else "")
        body = ["  " + job_call(rng, custom) for _ in range(rng.randint(1, 3))]
        block = [head + " do", *body, "end"]
        if rng.random() < 0.1:
            env_name = rng.choice(["production", "staging"])
            block = [f"if @environment == '{env_name}'", *["  " + b for b in block], "end"]
        lines += block
    lines += extra
    return "\n".join(lines) + "\n"

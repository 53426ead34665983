"""Chronic's text normalisation: `Parser#pre_normalize` and `Numerizer.numerize`.

A line-by-line port of gitlab-chronic 0.10.5 (`parser.rb`, `numerizer.rb`), the chronic that
Debian's ruby-whenever 1.0.0 loads. Ruby regular expressions are translated with `re.M`
(Ruby's `^`/`$` are line anchors) and `re.A` (Ruby's `\\d`, `\\s`, `\\w` are ASCII).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_F = re.M | re.A


def _sub(
    pattern: str, repl: str | Callable[[re.Match[str]], str], text: str, flags: int = 0
) -> str:
    return re.sub(pattern, repl, text, flags=_F | flags)


def pre_normalize(text: str) -> str:
    text = text.lower()
    text = _sub(r"\b(\d{2})\.(\d{2})\.(\d{4})\b", r"\3 / \2 / \1", text)
    text = _sub(r"\b([ap])\.m\.?", r"\1m", text)
    text = _sub(r"(\s+|:\d{2}|:\d{2}\.\d{3})\-(\d{2}:?\d{2})\b", r"\1tzminus\2", text)
    text = text.replace(".", ":")
    text = _sub(r"([ap]):m:?", r"\1m", text)
    text = _sub(r"['\"]", "", text)
    text = text.replace(",", " ")
    text = _sub(r"^second ", "2nd ", text)
    text = _sub(r"\bsecond (of|day|month|hour|minute|second)\b", r"2nd \1", text)
    text = numerize(text)
    text = _sub(r"([/\-,@])", lambda m: " " + m.group(1) + " ", text)
    text = _sub(r"(?:^|\s)0(\d+:\d+\s*pm?\b)", r" \1", text)
    text = _sub(r"\btoday\b", "this day", text)
    text = _sub(r"\btomm?orr?ow\b", "next day", text)
    text = _sub(r"\byesterday\b", "last day", text)
    text = _sub(r"\bnoon\b", "12:00pm", text)
    text = _sub(r"\bmidnight\b", "24:00", text)
    text = _sub(r"\bnow\b", "this second", text)
    text = text.replace("quarter", "15")
    text = text.replace("half", "30")
    text = _sub(r"(\d{1,2}) (to|till|prior to|before)\b", r"\1 minutes past", text)
    text = _sub(r"(\d{1,2}) (after|past)\b", r"\1 minutes future", text)
    text = _sub(r"\b(?:ago|before(?: now)?)\b", "past", text)
    text = _sub(r"\bthis (?:last|past)\b", "last", text)
    text = _sub(r"\b(?:in|during) the (morning)\b", r"\1", text)
    text = _sub(r"\b(?:in the|during the|at) (afternoon|evening|night)\b", r"\1", text)
    text = _sub(r"\btonight\b", "this night", text)
    text = _sub(r"\b\d+:?\d*[ap]\b", r"\g<0>m", text)
    text = _sub(r"\b(\d{2})(\d{2})(am|pm)\b", r"\1:\2\3", text)
    text = _sub(r"(\d)([ap]m|oclock)\b", r"\1 \2", text)
    text = _sub(r"\b(hence|after|from)\b", "future", text)
    text = _sub(r"^\s?an? ", "1 ", text, re.I)
    text = _sub(r"\b(\d{4}):(\d{2}):(\d{2})\b", r"\1 / \2 / \3", text)
    text = _sub(r"\b0(\d+):(\d{2}):(\d{2}) ([ap]m)\b", r"\1:\2:\3 \4", text)
    return text


_DIRECT_NUMS = (
    ("eleven", "11"),
    ("twelve", "12"),
    ("thirteen", "13"),
    ("fourteen", "14"),
    ("fifteen", "15"),
    ("sixteen", "16"),
    ("seventeen", "17"),
    ("eighteen", "18"),
    ("nineteen", "19"),
    ("ninteen", "19"),
    ("zero", "0"),
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    (r"four(\W|$)", r"4\1"),
    ("five", "5"),
    (r"six(\W|$)", r"6\1"),
    (r"seven(\W|$)", r"7\1"),
    (r"eight(\W|$)", r"8\1"),
    (r"nine(\W|$)", r"9\1"),
    ("ten", "10"),
    (r"\ba[\b^$]", "1"),
)

_ORDINALS = (
    ("first", "1"),
    ("third", "3"),
    ("fourth", "4"),
    ("fifth", "5"),
    ("sixth", "6"),
    ("seventh", "7"),
    ("eighth", "8"),
    ("ninth", "9"),
    ("tenth", "10"),
    ("twelfth", "12"),
    ("twentieth", "20"),
    ("thirtieth", "30"),
    ("fourtieth", "40"),
    ("fiftieth", "50"),
    ("sixtieth", "60"),
    ("seventieth", "70"),
    ("eightieth", "80"),
    ("ninetieth", "90"),
)

_TEN_PREFIXES = (
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fourty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
)

_BIG_PREFIXES = (
    ("hundred", 100),
    ("thousand", 1000),
    ("million", 1_000_000),
    ("billion", 1_000_000_000),
    ("trillion", 1_000_000_000_000),
)

_ANDITION = re.compile(r"<num>(\d+)( | and )<num>(\d+)(?=[^\w]|$)", _F | re.I)


def numerize(string: str) -> str:
    string = _sub(r" +|([^\d])-([^\d])", r"\1 \2", string)
    string = string.replace("a half", "haAlf")
    for word, number in _DIRECT_NUMS:
        string = _sub(word, "<num>" + number, string, re.I)
    for word, number in _ORDINALS:
        string = _sub(word, "<num>" + number + word[-2:], string, re.I)
    for word, value in _TEN_PREFIXES:
        string = _sub(f"(?:{word}) *<num>(\\d(?=[^\\d]|$))*", _ten_adder(value), string, re.I)
    for word, value in _TEN_PREFIXES:
        string = _sub(word, "<num>" + str(value), string, re.I)
    for word, value in _BIG_PREFIXES:
        string = _sub(f"(?:<num>)?(\\d*) *{word}", _big_multiplier(value), string, re.I)
        string = _andition(string)
    string = _sub(
        r"(\d+)(?: | and |-)*haAlf",
        lambda m: _ruby_float_to_s(float(m.group(1)) + 0.5),
        string,
        re.I,
    )
    return string.replace("<num>", "")


def _ten_adder(value: int) -> Callable[[re.Match[str]], str]:
    return lambda m: "<num>" + str(value + int(m.group(1) or 0))


def _big_multiplier(value: int) -> Callable[[re.Match[str]], str]:
    # Ruby's block returns the bare Integer when there is no multiplier (no `<num>` marker).
    return lambda m: str(value) if m.group(1) == "" else "<num>" + str(value * int(m.group(1)))


def _andition(string: str) -> str:
    """`Numerizer.andition`: a StringScanner that restarts after every rewrite."""
    pos = 0
    while True:
        m = _ANDITION.search(string, pos)
        if m is None:
            return string
        if "and" in m.group(2).lower() or len(m.group(1)) > len(m.group(3)):
            total = int(m.group(1)) + int(m.group(3))
            string = string[: m.start()] + "<num>" + str(total) + string[m.end() :]
            pos = 0
        else:
            pos = m.end()


def _ruby_float_to_s(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return f"{value:.1f}"
    return repr(value)


def split_words(text: str) -> list[str]:
    """Ruby's awk-style `String#split(' ')`."""
    return [w for w in re.split(r"[ \t\n\v\f\r]+", text) if w]

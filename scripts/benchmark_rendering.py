"""Worst cases of the Markdown renderer, measured: python scripts/benchmark_rendering.py [--fuzz N]

Renders bodies of the maximum length made of the inputs known to slow
Markdown parsers down (runs of brackets, emphasis markers, backticks,
half-open HTML and autolinks, deep nesting, tables that expand), then
random mixtures of Markdown's special characters, and prints the time of
each and whether it was rendered or refused. Every render must end within
articles.rendering.TIME_LIMIT_SECONDS (plus the time to notice), with HTML
or a RenderError, and nothing else.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # A development tool: the development settings.

import django

django.setup()

from articles.limits import BODY_MAX_LENGTH, SUMMARY_MAX_LENGTH  # noqa: E402
from articles.rendering import TIME_LIMIT_SECONDS, RenderError, render_body, render_summary  # noqa: E402

# Repeated to the maximum length: each is a known trap for some Markdown parser.
UNITS = [
    "[",
    "![",
    "[![",
    "[a](",
    "[]( ",
    "<http://a",
    "<a ",
    "<!--",
    "*a",
    "**_",
    "*_",
    "a_",
    "_a_ ",
    "`",
    "`a",
    "&",
    "\\",
    "<",
    "<a>",
    "> ",
    ">",
    "- ",
    "1. ",
    "#",
    "a\n",
    "[x]: ",
    "```\n",
    "|",
    "*",
    "_",
    "~",
    "[a]",
    "](",
    "[\\",
    "\\[",
    "&#",
    "&#x",
    "<?",
    "<![CDATA[",
    "a  \n",
    "    a\n",
    "\t",
    "- a\n  ",
    "> - ",
]


def generated_cases(length):
    for unit in UNITS:
        yield f"{unit!r} repeated", unit * (length // len(unit))
    yield "lists nested 300 deep", "".join("  " * depth + "- x\n" for depth in range(300))
    yield "quotes nested 5000 deep", "> " * 5000 + "x"
    yield "one reference used 60,000 times", "[a]: https://example.org/" + "x" * 1900 + "\n\n" + "[a] " * 60_000
    yield "a table of 60,000 autocompleted cells", "|" + "a|" * 1000 + "\n|" + "-|" * 1000 + "\n" + "|\n" * 90_000
    honest = (
        "The minister said on *Tuesday* that the **rail link** would open, according to "
        "[Der Standard](https://www.derstandard.at/). Critics called it `unrealistic`.\n"
    )
    yield "an honest body", "\n".join(["## A subhead", honest * 3, "> " + honest, "- one\n- two"] * 2000)[:length]


def fuzz_cases(count, length, seed):
    alphabet = [*"[]()!<>*_`~#-+|\\&;:/\n >\"'=.1aA ", "http://", "<a ", "](", "![", "    ", "\n\n"]
    generator = random.Random(seed)
    for number in range(count):
        pieces = generator.choices(alphabet, k=length // 3)
        yield f"fuzz {number}", "".join(pieces)[:length]


def measure(render, label, text):
    start = time.perf_counter()
    try:
        html = render(text)
        outcome = f"rendered, {len(html):,} characters of HTML"
    except RenderError as error:
        outcome = f"refused: {error.messages[0][:90]}"
    return time.perf_counter() - start, f"{label:40} {len(text):>8,} chars  {{:6.2f}} s  {outcome}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=20, help="random bodies to render (default 20)")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    worst = 0.0
    cases = [(render_body, case) for case in generated_cases(BODY_MAX_LENGTH)]
    cases += [
        (render_summary, (f"summary: {label}", text[:SUMMARY_MAX_LENGTH]))
        for label, text in generated_cases(SUMMARY_MAX_LENGTH)
    ]
    cases += [(render_body, case) for case in fuzz_cases(options.fuzz, BODY_MAX_LENGTH, options.seed)]
    for render, (label, text) in cases:
        seconds, line = measure(render, label, text)
        worst = max(worst, seconds)
        print(line.format(seconds), flush=True)
    print(f"Worst: {worst:.2f} s (time limit {TIME_LIMIT_SECONDS:g} s).")
    return 0 if worst < TIME_LIMIT_SECONDS + 0.5 else 1


if __name__ == "__main__":
    sys.exit(main())

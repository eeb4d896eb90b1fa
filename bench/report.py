"""The bench's table: each size side by side, then its growth from the smallest to the largest."""

from bench import load
from bench.desk import OPERATIONS

PAGE_ROWS = {
    "front": "front page",
    "front_deep": "front page, deepest",
    "section": "section page, first",
    "section_deep": "section page, deepest",
    "report_cold": "report page, cache cold",
    "report_warm": "report page, cache warm",
    "search": "search page",
    "static": "static file, same size",
}


def render(results, arguments):
    machine = results["machine"]
    lines = [
        f"Newsroom bench, {results['started'][:16].replace('T', ' ')} UTC, commit {machine['commit']}, "
        f"{machine['cores']} cores, load {machine['load']} at the start",
        f"{'; '.join(machine['databases'])}",
        f"gunicorn {machine['gunicorn']}; {machine['wrk']}; medians",
    ]
    if "runs" in results:
        lines += ["", *page_table(results, arguments)]
    if "desk" in results:
        lines += ["", *desk_table(results["desk"])]
    return "\n".join(lines)


def _runs(results, key):
    return [load.Run(**{name: value for name, value in run.items() if name != "rate"}) for run in results["runs"][key]]


def page_table(results, arguments):
    sizes = arguments.reports
    head = f"{'Reader pages':<26}"
    under = " " * 26
    for size in sizes:
        head += f"{f'{size:,} reports':^45}"
        under += f"{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'×static':>8}{'SQL':>5} "
    if len(sizes) > 1:
        head += f"{'p99':>8}"
        under += f"{'growth':>8}"
    lines = [head, under]
    for kind, label in PAGE_ROWS.items():
        keys = [f"{kind}@{size}" for size in sizes]
        if not any(key in results["runs"] for key in keys):
            if kind == "search":
                lines.append(f"{label:<26}(no search page yet)")
            continue
        line = f"{label:<26}"
        p99s = []
        for size, key in zip(sizes, keys, strict=True):
            if key not in results["runs"]:
                line += " " * 45
                continue
            runs = _runs(results, key)
            summary = load.summarize(runs)
            if not summary.rate:
                line += f"{'no answer within a run':>45}"
                continue
            versus_static = load.ratio(runs, _runs(results, f"static@{size}"))
            queries = results["pages"][size if size in results["pages"] else str(size)]
            sql = queries.get(kind.removesuffix("_cold").removesuffix("_warm"), {}).get("queries", "")
            if kind in {"report_warm", "static"}:
                sql = ""
            line += (
                f"{summary.rate:8.1f}{summary.p50_ms:8.1f}{summary.p99_ms:8.1f}{summary.errors:7d}"
                f"{versus_static:8.3f}{sql!s:>5} "
            )
            p99s.append(summary.p99_ms)
        if len(sizes) > 1 and len(p99s) == len(sizes) and p99s[0]:
            line += f"{p99s[-1] / p99s[0]:7.2f}×"
        lines.append(line)
    compare = [key for key in results["runs"] if key.startswith("compare:")]
    if compare:
        lines += [
            "",
            f"{'Compared with':<26}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}  report page, cache cold / it",
        ]
        for key in compare:
            runs = _runs(results, key)
            summary = load.summarize(runs)
            ratios = "  ".join(
                f"{size:,}: {load.ratio(_runs(results, f'report_cold@{size}'), runs):.2f}×"
                for size in sizes
                if f"report_cold@{size}" in results["runs"]
            )
            lines.append(
                f"{key.removeprefix('compare:'):<26}{summary.rate:8.1f}{summary.p50_ms:8.1f}{summary.p99_ms:8.1f}"
                f"{summary.errors:7d}  {ratios}"
            )
    lines += [
        "",
        "×static: requests/s as a share of the static file's, round by round. SQL: queries per request.",
        "All pages but 'cache warm' are served with NEWSROOM_PAGE_CACHE_SECONDS=0 (the page cache off).",
    ]
    return lines


def desk_table(outcomes):
    sizes = list(outcomes)
    head = f"{'Desk operations':<30}" + "".join(f"{f'{int(size):,} reports':>24}" for size in sizes)
    under = " " * 30 + "".join(f"{'time':>13}{'peak MB':>11}" for _size in sizes)
    lines = [head, under]
    for name in OPERATIONS:
        line = f"{name:<30}"
        for size in sizes:
            outcome = outcomes[size][name]
            if outcome["seconds"] is None:
                line += f"{outcome['problem'][:23]:>24}"
            else:
                line += f"{outcome['seconds']:11.2f} s{outcome['peak_mb']:11.0f}"
        lines.append(line)
    lines.append("time: the operation alone, in a warm process; peak MB: the whole process's peak resident memory.")
    return lines

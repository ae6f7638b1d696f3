"""Score the funding-radar extraction over the labelled corpus.

    .venv/bin/python bench/radar_extraction.py [--verbose]
    .venv/bin/python bench/radar_extraction.py --throughput [--rounds 10] [--workers N]

Each announcement in kaynak/radar/tests/corpus (NAME.txt / .html / .pdf) has its expected fields in
NAME.json. Accuracy for deadline (with deadline_timezone), amount (min and max both right),
currency, deadline_kind and language; micro-averaged F1 for applicant_types, countries and
themes. Also prints the throughput in items per second (text already read from disk).

``--throughput`` measures the whole extraction as a scan runs it — bytes of each announcement
(HTML, text or PDF) to fields, ``extract(data, kind)`` — over the corpus repeated ``--rounds``
times, in ``--workers`` processes (default: every core), after each process has loaded the
extraction's rules; it prints items per second in all and per process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kaynak.radar.extraction import extract  # noqa: E402
from kaynak.radar.extraction.text import to_text  # noqa: E402

CORPUS = ROOT / "kaynak" / "radar" / "tests" / "corpus"
ACCURACY = ("deadline", "amount", "currency", "deadline_kind", "language")
SETS = ("applicant_types", "countries", "themes")


def load_corpus() -> list[tuple[Path, dict[str, Any]]]:
    cases = []
    for expected in sorted(CORPUS.glob("*.json")):
        for ext in ("txt", "html", "pdf"):
            path = expected.with_suffix(f".{ext}")
            if path.exists():
                cases.append((path, json.loads(expected.read_text(encoding="utf-8"))))
    return cases


def value(result: dict[str, Any], field: str) -> Any:
    if field == "amount":
        return (result["amount_min"], result["amount_max"])
    if field == "deadline":
        return (result["deadline"], result["deadline_timezone"])
    return result[field]


def score(verbose: bool = False) -> dict[str, float]:
    cases = load_corpus()
    right = dict.fromkeys(ACCURACY, 0)
    counts = {
        field: [0, 0, 0] for field in SETS
    }  # true positives, false positives, false negatives
    for path, expected in cases:
        got = extract(path.read_bytes(), path.suffix[1:])
        for field in ACCURACY:
            ok = value(got, field) == value(expected, field)
            right[field] += ok
            if verbose and not ok:
                print(
                    f"{path.name}: {field} expected {value(expected, field)!r}",
                    f"got {value(got, field)!r}",
                )
        for field in SETS:
            want, have = set(expected[field]), set(got[field])
            counts[field][0] += len(want & have)
            counts[field][1] += len(have - want)
            counts[field][2] += len(want - have)
            if verbose and want != have:
                print(
                    f"{path.name}: {field} missing {sorted(want - have)}",
                    f"extra {sorted(have - want)}",
                )
    scores = {field: right[field] / len(cases) for field in ACCURACY}
    for field, (tp, fp, fn) in counts.items():
        scores[field] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    texts = [(to_text(path.read_bytes(), path.suffix[1:])) for path, _ in cases]
    from kaynak.radar.extraction import extract_text

    started = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for text in texts:
            extract_text(text)
    scores["items_per_second"] = rounds * len(texts) / (time.perf_counter() - started)
    scores["announcements"] = len(cases)
    return scores


def _extract_one(item: tuple[bytes, str]) -> int:
    return len(extract(*item))


def throughput(rounds: int, workers: int) -> tuple[int, float]:
    """(items, seconds) of full extraction over the corpus repeated ``rounds`` times."""
    corpus = [(path.read_bytes(), path.suffix[1:]) for path, _expected in load_corpus()]
    items = corpus * rounds
    if workers == 1:
        _extract_one(corpus[0])  # rules and gazetteers loaded, as in a running worker
        started = time.perf_counter()
        for item in items:
            _extract_one(item)
        return len(items), time.perf_counter() - started
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_extract_one, corpus[:workers] * 2))  # every process warmed up
        started = time.perf_counter()
        list(pool.map(_extract_one, items, chunksize=4))
        return len(items), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument(
        "--throughput", action="store_true", help="also measure bytes → fields in processes"
    )
    parser.add_argument("--rounds", type=int, default=10, help="corpus repetitions")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    scores = score(args.verbose)
    print(f"{int(scores['announcements'])} announcements")
    print("| field | metric | score |\n|---|---|---|")
    for field in ACCURACY:
        print(f"| {field} | accuracy | {scores[field]:.3f} |")
    for field in SETS:
        print(f"| {field} | F1 | {scores[field]:.3f} |")
    print(f"extraction (text → fields): {scores['items_per_second']:.0f} items/s on one core")
    if args.throughput:
        count, seconds = throughput(args.rounds, max(1, args.workers))
        rate = count / seconds
        print(
            f"throughput (bytes → fields, {count} items, {args.workers} processes): "
            f"{rate:.0f} items/s, {rate / max(1, args.workers):.0f} per process (target ≥ 200/s)"
        )


if __name__ == "__main__":
    main()

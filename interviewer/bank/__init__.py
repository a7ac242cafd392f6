"""The question bank: schema, loading, validation and content hashes."""

from interviewer.bank.loader import Bank, default_bank, load_bank, validate_files
from interviewer.bank.schema import (
    BankFile,
    Criterion,
    Difficulty,
    KeyPoint,
    Kind,
    Misconception,
    Question,
    StarComponent,
    StarFocus,
    StarQuality,
    StarRubric,
)

__all__ = [
    "Bank",
    "BankFile",
    "Criterion",
    "Difficulty",
    "KeyPoint",
    "Kind",
    "Misconception",
    "Question",
    "StarComponent",
    "StarFocus",
    "StarQuality",
    "StarRubric",
    "default_bank",
    "load_bank",
    "validate_files",
]

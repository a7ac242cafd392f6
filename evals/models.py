"""Which grader grades for a model name in an evals run (``offline`` is the rubric grader): built where every
grader is, in ``interviewer.services``."""

from __future__ import annotations

from interviewer.services import eval_grader_factory as grader_factory

__all__ = ["grader_factory"]

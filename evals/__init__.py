"""The grading-quality suite (installed as ``interviewer.evals``): datasets, metrics, runner, reports."""

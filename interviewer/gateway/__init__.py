"""The model gateway: the one way the project talks to language models (and the only package that may import
litellm, in ``interviewer.gateway.llm``, lazily).

- ``model``: the ``ChatModel`` interface (``complete``, ``stream``, ``structured``) and the machinery all models share
  (cache, retries, timeouts, accounting, request logs, validated structured output);
- ``llm``: ``LiteLLMModel``, any model litellm speaks to (the only litellm import);
- ``fake``: ``FakeModel``, queued replies and a call log, for tests;
- ``factory``: ``make_model(settings, ledger)``, the model the settings call for (None offline);
- ``errors``, ``retry``, ``structured``, ``cache``, ``requestlog``, ``providers``, ``usage``: one job each;
- ``discovery``: what ``interviewer models`` shows.

Importing this package imports nothing heavy.
"""

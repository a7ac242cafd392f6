"""The model gateway: the one way the project talks to language models (and the only package that may import
litellm, in ``interviewer.gateway.llm``, lazily)."""

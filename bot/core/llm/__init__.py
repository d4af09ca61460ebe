"""The optional LLM: a chat model that words answers from the same retrieval functions."""

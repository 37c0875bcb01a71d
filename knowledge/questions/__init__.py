"""The questions pipeline: understand a question, then answer it from the store with cited quotes."""

"""The documents pipeline: read a file, find its structure, parse it into findings."""

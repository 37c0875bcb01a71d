"""Stand-ins shared by tests/, bench/ and eval/: a local website, a Telegram Bot API server, a PDF writer, and the
fixture documents' loader."""

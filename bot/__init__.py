"""The fronts of inspection-bot: the command line now, Telegram next. Thin layers over `knowledge`."""

"""`python -m bot` is the same as the `inspection-bot` command."""

from bot.cli import main

raise SystemExit(main())

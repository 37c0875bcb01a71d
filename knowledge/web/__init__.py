"""The web: fetching pages politely and safely, and syncing the feeds where reports appear."""

"""Storage: the database, documents and findings, search, chats and the outbox. The ground floor of the core."""

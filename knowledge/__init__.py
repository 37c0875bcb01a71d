"""The knowledge base: inspection documents -> findings -> tables -> cited answers.

Plain Python: no Telegram, no environment. Open a Store with a database URL, then ask it questions.
"""

from knowledge.documents.reading import UnreadableDocument
from knowledge.ingest import IngestResult
from knowledge.questions.answering import answer
from knowledge.questions.answers import Answer, Citation, DocumentRef, OrganisationRef
from knowledge.state.store import Store

__all__ = ["Answer", "Citation", "DocumentRef", "IngestResult", "OrganisationRef", "Store", "UnreadableDocument", "answer"]

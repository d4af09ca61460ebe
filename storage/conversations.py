"""Conversation context: the customer and product a chat is about, kept in the database."""

from __future__ import annotations

from sqlmodel import Session

from storage.models import Conversation, utcnow


def get_conversation(*, session: Session, key: str) -> Conversation:
    """Return the conversation with this key, a new empty one when there is none yet."""
    return session.get(Conversation, key) or Conversation(key=key)


def save_conversation(*, session: Session, conversation: Conversation) -> None:
    """Store the conversation's context."""
    conversation.updated_at = utcnow()
    session.merge(conversation)
    session.commit()

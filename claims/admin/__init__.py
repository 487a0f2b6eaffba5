"""The curation screens of claims, and of the articles and parties whose statements they hold
(`sources` cannot know of statements, so those two screens are registered here)."""

from . import articles, claims, parties, statements

__all__ = ["articles", "claims", "parties", "statements"]

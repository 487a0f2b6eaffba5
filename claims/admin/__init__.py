"""The curation screens of claims, and of the articles and parties whose statements they hold
(`sources` cannot know of statements, so those two screens are registered here), the team's
accounts and the merges of duplicates."""

from . import accounts, articles, claims, merges, parties, statements

__all__ = ["accounts", "articles", "claims", "merges", "parties", "statements"]

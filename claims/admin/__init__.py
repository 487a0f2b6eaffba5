"""The curation screens of claims, and of the articles and parties whose statements they hold
and places (`sources` cannot know of statements or claims, so those screens are registered
here), the team's accounts and the merges of duplicates."""

from . import accounts, articles, claims, merges, parties, places, statements

__all__ = ["accounts", "articles", "claims", "merges", "parties", "places", "statements"]

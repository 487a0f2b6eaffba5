"""The attribution assistant: proposes statements (speaker, content span, mode) from an
article's text by rules, offline and deterministically, for curators to accept or reject."""

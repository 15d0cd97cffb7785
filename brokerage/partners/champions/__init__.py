"""Champions: their profiles, their links to partners, the suggestions, and the champion pages."""

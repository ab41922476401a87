"""The search index: query model, document building and search backends."""

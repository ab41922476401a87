"""The catalogue: domain model, rules, persistence, reference data and migrations.

This package knows nothing about HTTP; `web`, `providers`, `search` and `sync` build on it.
"""

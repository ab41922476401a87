"""The JSON API: public search and offers, signals, watches, the provider API, and the
OpenAPI document and docs page built from the same list of calls."""

"""The provider-facing API: accounts, API keys, scoped writes, bulk upload, waiting lists."""

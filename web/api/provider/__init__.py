"""The provider API under /api/v1/provider: thin handlers over `providers`."""

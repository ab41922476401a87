"""What providers and schools do: scoped writes of offers, locations and figures, bulk
upload, and waiting lists (no HTTP: their routes are in `web.api.provider`)."""

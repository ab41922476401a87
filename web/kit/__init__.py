"""The HTTP toolkit every surface shares: bodies, transactions, ETags and paging,
who is asking, problem+json errors, security headers and rate limits."""

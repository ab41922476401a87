"""PGB-route and education-gap signals: the pure rules, what they read from the
catalogue, and the service that opens and resolves them."""

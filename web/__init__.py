"""The ASGI application that composes the catalogue, and the `plekwijzer` command line."""

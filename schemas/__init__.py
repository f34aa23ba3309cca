"""marshmallow schemas: the one description of every request and response (apispec reads them too)."""

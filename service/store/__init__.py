"""The store: peewee models, the one database handle, and one module of queries per aggregate (the only
database-specific SQL is here)."""

"""Pure rules: no Flask, no peewee, no database."""

"""Bring the database schema up to date."""
from . import search
from .db import database
from .models import MODELS


def create_schema():
    with database.atomic():
        database.create_tables(MODELS, safe=True)
        search.install()

"""`flask --app service <command>`: the same rule functions the API calls, from the shell."""
import json
import sys

import click
import yaml

from .audit import Context


def register_commands(app):
    @app.cli.command("migrate")
    def migrate_command():
        """Run the migrations in migrations/ that the database has not run yet."""
        from .migrations import apply

        for name in apply():
            click.echo(f"applied {name}")
        click.echo("schema is up to date")

    @app.cli.command("seed")
    @click.option("--file", "path", default=None, help="Seed manifest (default: seeds/claims.yaml).")
    def seed_command(path):
        """Load the seed article and its curated claims; loading twice adds nothing."""
        from .seeding import DEFAULT_MANIFEST, load_seeds

        report = load_seeds(path or DEFAULT_MANIFEST, Context(actor="seed"), progress=click.echo)
        click.echo(report.summary())

    @app.cli.command("openapi")
    @click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
    def openapi_command(fmt):
        """Print the OpenAPI document generated from the code."""
        spec = app.extensions["claimtrail_api"].spec.to_dict()
        if fmt == "json":
            json.dump(spec, sys.stdout, indent=2)
        else:
            yaml.safe_dump(spec, sys.stdout, sort_keys=False, allow_unicode=True)

"""`flask --app service.app <command>`: the same rule functions the API calls, from the shell."""
import json
import os
import sys
import time

import click
import yaml

from schemas.bulk import dumped, loaded

from .actions.candidates import propose_for_source
from .actions.importing import import_records
from .actions.keys import create_key
from .actions.seeding import DEFAULT_MANIFEST, load_seeds
from .rules.keys import ROLES
from .rules.liar import liar_records
from .rules.lines import ndjson_records
from .actions.checkpoints import make_checkpoint
from .errors import DomainError, Unavailable
from .rules.checkpoints import held_checkpoints
from .store.audit import Context
from .store.candidates import StoredSpeakers, sources_to_extract
from .store.verification import exported_events, verify
from .store.lines import export_lines
from .store.migrations import apply
from .store.models import Claim
from .store.search import optimize, segments


def register_commands(app):
    @app.cli.command("migrate")
    def migrate_command():
        """Run the migrations in migrations/ that the database has not run yet."""
        for name in apply():
            click.echo(f"applied {name}")
        click.echo("schema is up to date")

    @app.cli.command("seed")
    @click.option("--file", "path", default=None, help="Seed manifest (default: seeds/claims.yaml).")
    def seed_command(path):
        """Load the seed article and its curated claims; loading twice adds nothing."""
        report = load_seeds(path or DEFAULT_MANIFEST, Context(actor="seed"), progress=click.echo)
        click.echo(report.summary())

    @app.cli.command("extract")
    @click.option("--source", "source_ids", multiple=True, metavar="ID", help="This source (may be repeated).")
    @click.option("--publisher", default=None, help="Only sources of this publisher.")
    @click.option("--all", "again", is_flag=True, help="Also the sources extracted before (nothing is duplicated).")
    def extract_command(source_ids, publisher, again):
        """Propose candidate claims from the sources not extracted yet (or those given); an interrupted
        run resumes where it stopped."""
        todo = sources_to_extract(source_ids=source_ids, again=again, publisher=publisher)
        stored_speakers, proposed, present, failed = StoredSpeakers(), 0, 0, 0
        with click.progressbar(todo, label="extracting candidates", file=sys.stderr) as bar:
            for source_id in bar:
                try:
                    report = propose_for_source(Context(actor="cli"), source_id, stored_speakers=stored_speakers)
                except DomainError as problem:
                    failed += 1
                    click.echo(f"\nsource {source_id}: {problem.detail}", err=True)
                    continue
                proposed, present = proposed + report.proposed, present + report.already_present
        click.echo(f"extracted {len(todo) - failed} sources: {proposed} candidates proposed, {present} already present, "
                   f"{failed} failed")
        if failed:
            sys.exit(1)

    @app.cli.command("export")
    @click.option("--out", "out", type=click.File("w", encoding="utf-8", lazy=True), default="-",
                  help="NDJSON file to write (default: standard output).")
    def export_command(out):
        """Write every claim as NDJSON, one claim a line, as GET /export does."""

        with click.progressbar(length=Claim.select().count(), label="exporting claims", file=sys.stderr) as bar:
            for line in dumped(export_lines()):
                out.write(line)
                bar.update(1)
        click.echo(f"exported {bar.pos} claims", err=True)

    @app.cli.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_command(path):
        """Store the claims of an NDJSON file (as `export` writes it); importing twice changes nothing."""
        with open(path, "rb") as lines:
            _run_import(ndjson_records(lines), path)

    @app.cli.command("import-liar")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_liar_command(path):
        """Store the statements of a LIAR dataset TSV file (train.tsv, valid.tsv, test.tsv) as claims."""
        with open(path, "rb") as rows:
            _run_import(liar_records(rows), path)

    def _run_import(records, path):

        with click.progressbar(length=os.path.getsize(path), label=f"importing {path}", file=sys.stderr) as bar:
            report = import_records(Context(actor="cli"), loaded(records), origin=path, progress=bar.update)
        for rejected in report.rejected_lines:
            click.echo(f"line {rejected['line']}: {rejected['reason']}", err=True)
        click.echo(report.summary())
        if report.rejected:
            sys.exit(1)

    keys_group = click.Group("keys", help="Manage API keys.")
    app.cli.add_command(keys_group)

    @keys_group.command("create")
    @click.option("--owner", required=True, help="Who the key is for; the audit log names them.")
    @click.option("--role", required=True, type=click.Choice(ROLES))
    def create_key_command(owner, role):
        """Make an API key and print it; it is shown this once."""
        record, secret = create_key(Context(actor="cli"), owner=owner, role=role)
        click.echo(f"created {record['role']} key {record['id']} for {record['owner']}")
        click.echo(secret)

    audit_group = click.Group("audit", help="The audit log.")
    app.cli.add_command(audit_group)

    @audit_group.command("verify")
    @click.option("--checkpoint", "checkpoint_file", type=click.File("r", encoding="utf-8"), default=None,
                  help="Checkpoints you kept (one, a list, a GET /audit/checkpoints page or NDJSON) to check "
                       "the log against instead of the stored ones.")
    def verify_command(checkpoint_file):
        """Recompute the hash chain, check it against the checkpoints and compare every claim and speaker
        with its events; exit 1 on any failure."""
        held = held_checkpoints(checkpoint_file.read()) if checkpoint_file else None
        report = verify(held=held)
        if report["problem"]:
            click.echo(f"audit chain BROKEN at event {report['first_broken_seq']}: {report['problem']}", err=True)
        else:
            click.echo(f"audit chain intact: {report['events_checked']} events")
        for failure in report["checkpoint_failures"]:
            where = f" at event {failure['failed_at_seq']}" if failure["failed_at_seq"] is not None else ""
            click.echo(f"checkpoint {failure['checkpoint_id']} (seq {failure['seq']}) FAILED{where}: "
                       f"{failure['problem']}", err=True)
        click.echo(f"{report['checkpoints_checked']} checkpoints checked, "
                   f"{len(report['checkpoint_failures'])} failed")
        for mismatch in report["mismatches"]:
            click.echo(f"{mismatch['resource_type']} {mismatch['resource_id']} (event {mismatch['seq']}): "
                       f"{mismatch['problem']}", err=True)
        click.echo(f"{report['resources_checked']} claims and speakers compared with their events, "
                   f"{len(report['mismatches'])} differ")
        if not report["valid"]:
            sys.exit(1)

    @audit_group.command("checkpoint")
    def checkpoint_command():
        """Sign a checkpoint of the log as it stands and print it as JSON."""
        try:
            click.echo(json.dumps(make_checkpoint()))
        except Unavailable as missing:
            click.echo(missing.detail, err=True)
            sys.exit(1)

    @audit_group.command("export")
    @click.option("--out", "out", type=click.File("w", encoding="utf-8", lazy=True), default="-",
                  help="NDJSON file to write (default: standard output).")
    def audit_export_command(out):
        """Write every audit event as NDJSON, as GET /audit/export does (docs/audit.md)."""
        for line in exported_events():
            out.write(line)

    search_group = click.Group("search", help="The full-text search index.")
    app.cli.add_command(search_group)

    @search_group.command("optimize")
    def optimize_command():
        """Merge the search index into one b-tree, for faster searches (SQLite; PostgreSQL needs nothing)."""
        before, started = segments(), time.perf_counter()
        optimize()
        click.echo(f"search index: {before} segments merged into {segments()} in {time.perf_counter() - started:.1f} s")

    @app.cli.command("openapi")
    @click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml")
    def openapi_command(fmt):
        """Print the OpenAPI document generated from the code."""
        spec = app.extensions["claimtrail_api"].spec.to_dict()
        if fmt == "json":
            json.dump(spec, sys.stdout, indent=2)
        else:
            yaml.safe_dump(spec, sys.stdout, sort_keys=False, allow_unicode=True)

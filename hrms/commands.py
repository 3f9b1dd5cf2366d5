"""Command-line jobs: ``flask --app wsgi create-admin`` and ``flask --app wsgi seed-demo``."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from hrms.core.audit import AuditActor, acting_as
from hrms.core.errors import DomainError, ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Role, SystemActor
from hrms.extensions import db
from hrms.settings import current_settings


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(import_dossiers)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _fail(error: DomainError | ValidationFailed) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
    lines = [f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in errors.items()]
    db.session.rollback()
    raise click.ClickException("; ".join(lines))


@click.command("create-admin")
@click.option("--username", prompt=True, help="Sign-in name (lower case).")
@click.option("--full-name", prompt=True, help="Full name shown in the interface.")
@click.option("--email", default="", help="Optional email address.")
@click.password_option(help="Password (asked twice when not given).")
@with_appcontext
def create_admin(username: str, full_name: str, email: str, password: str) -> None:
    """Create an administrator account."""
    from hrms.accounts.schemas import UserCreateSchema
    from hrms.accounts.services import create_user

    with acting_as(AuditActor(None, "create-admin")):
        try:
            data = load(
                UserCreateSchema(),
                {
                    "username": username,
                    "full_name": full_name,
                    "email": email,
                    "password": password,
                    "role": Role.ADMIN.value,
                },
            )
            user = create_user(SystemActor(), data)
        except (DomainError, ValidationFailed) as error:
            _fail(error)
            return
        db.session.commit()
    click.echo(f"Administrator {user.username} created.")


@click.command("seed-demo")
@click.option(
    "--if-empty", is_flag=True, help="Do nothing when the database already holds units or accounts."
)
@click.option(
    "--people",
    default=300,
    show_default=True,
    type=click.IntRange(6, 100_000),
    help="How many personnel dossiers to create.",
)
@with_appcontext
def seed_demo(if_empty: bool, people: int) -> None:
    """Load the demo agency and its accounts (password: HRMS_DEMO_PASSWORD)."""
    from hrms.accounts.models import User
    from hrms.demo import seed

    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already holds data; demo data not loaded.")
        return
    with acting_as(AuditActor(None, "seed-demo")):
        try:
            summary = seed(current_settings().demo_password, people=people)
        except (DomainError, ValidationFailed) as error:
            _fail(error)
            return
        db.session.commit()
    click.echo(summary)


@click.command("import-dossiers")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--dry-run", is_flag=True, help="Check every row and report; save nothing.")
@click.option(
    "--actor",
    "actor_name",
    default=None,
    help="Import as this administrator or personnel officer (their scope applies); "
    "default: the system.",
)
@with_appcontext
def import_dossiers(path: str, dry_run: bool, actor_name: str | None) -> None:
    """Import dossiers from an Excel workbook (the template of /employees/import)."""
    from hrms.accounts.models import User
    from hrms.employees.exchange import WorkbookRefused, import_rows, read_workbook

    actor: Any = SystemActor()
    audit_actor = AuditActor(None, "import-dossiers")
    if actor_name:
        actor = db.session.scalar(select(User).where(User.username == actor_name.lower()))
        if actor is None or not actor.active:
            raise click.ClickException(f"No active account named {actor_name!r}.")
        audit_actor = AuditActor(actor.id, actor.username)
    limit = current_settings().max_upload_mb * 1024 * 1024
    try:
        with open(path, "rb") as handle:
            sheet = read_workbook(handle.read(limit + 1), limit)
    except WorkbookRefused as refusal:
        raise click.ClickException(str(refusal.message)) from None
    with acting_as(audit_actor):
        with click.progressbar(length=len(sheet.rows), label="Rows", file=sys.stderr) as bar:
            report = import_rows(actor, sheet, dry_run=dry_run, progress=bar.update)
        if report.written:
            db.session.commit()
        else:
            db.session.rollback()
    for problem in report.problems:
        click.echo(f"row {problem.row}, {problem.column or '-'}: {problem.message}")
    summary = (
        f"{report.rows} rows: {report.created} to create, {report.updated} to update, "
        f"{report.unchanged} unchanged, {len(report.problems)} problems"
    )
    if not report.ok:
        raise click.ClickException(f"{summary}. Nothing was saved.")
    click.echo(f"{summary}. " + ("Dry run: nothing was saved." if dry_run else "Saved."))


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Back up the database and the uploaded files into PATH (a new folder), while the app runs."""
    from pathlib import Path

    from hrms.core.backup import BackupError, backup

    settings = current_settings()
    try:
        manifest = backup(settings.database_url, settings.storage_path, Path(path), click.echo)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {path} (manifest.json lists {len(manifest['tables'])} tables).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, readable=True))
@click.option(
    "--force", is_flag=True, help="Replace a database or storage folder that already holds data."
)
@with_appcontext
def restore_command(path: str, force: bool) -> None:
    """Restore a backup made by `backup` (stop the app first), then check every checksum."""
    from pathlib import Path

    from hrms.core.backup import BackupError, restore

    settings = current_settings()
    db.session.remove()
    db.engine.dispose()
    try:
        restore(Path(path), settings.database_url, settings.storage_path, force, click.echo)
    except BackupError as error:
        raise click.ClickException(str(error)) from None

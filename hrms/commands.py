"""Command-line jobs: ``flask --app wsgi create-admin`` and ``flask --app wsgi seed-demo``."""

from __future__ import annotations

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

"""api tokens

Revision ID: 0002_api_tokens
Revises: 0001_foundation
Create Date: 2026-11-23 11:00:53.769246

"""

from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = "0002_api_tokens"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", hrms.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", hrms.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", hrms.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")

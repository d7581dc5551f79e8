"""The open-access migrations create the tables the models describe (in a schema of their
own)."""

import importlib.util
from pathlib import Path

import consortium_tenants
import sqlalchemy as sa

REVISION = "9e5f6b1c4d22"
SCHEMA = "oa_migration_check"


def _module(revision=REVISION):
    path = next((Path(consortium_tenants.__file__).parent / "alembic").glob(f"{revision}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_oa_migration_creates_the_models_table(app):
    from consortium_tenants.oa.models import OaPolicyModel

    _check(REVISION, OaPolicyModel.__table__, ["tenant_id"])


def test_the_embargo_notices_migration_creates_the_models_table(app):
    from consortium_tenants.oa.models import EmbargoNoticeModel

    _check("b2c3d4e5f624", EmbargoNoticeModel.__table__, ["record_id", "until", "days_before"])


def _check(revision, table, primary_key):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from invenio_db import db

    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        connection.execute(sa.text(f"SET LOCAL search_path TO {SCHEMA}, public"))
        with Operations.context(MigrationContext.configure(connection)):
            _module(revision).upgrade()
        inspector = sa.inspect(connection)
        assert set(inspector.get_table_names(schema=SCHEMA)) == {table.name}
        columns = {c["name"]: c for c in inspector.get_columns(table.name, schema=SCHEMA)}
        assert set(columns) == {c.name for c in table.columns}
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, column.name
        primary = inspector.get_pk_constraint(table.name, schema=SCHEMA)["constrained_columns"]
        assert primary == primary_key
        with Operations.context(MigrationContext.configure(connection)):
            _module(revision).downgrade()
        assert not sa.inspect(connection).get_table_names(schema=SCHEMA)
        connection.execute(sa.text(f"DROP SCHEMA {SCHEMA} CASCADE"))

"""The SSO migrations (an instance upgraded by `invenio platform init`, which runs `alembic
upgrade heads`) create the tables the models describe: run here in a schema of their own."""

import importlib.util
from pathlib import Path

import consortium_tenants
import sqlalchemy as sa

REVISIONS = ["8d4e6a0b3c20", "8d4e6a0b3c21"]
SCHEMA = "sso_migration_check"


def _module(revision):
    path = next((Path(consortium_tenants.__file__).parent / "alembic").glob(f"{revision}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sso_migrations_create_the_models_tables(app):
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from invenio_db import db

    from consortium_tenants.sso import models

    tables = {m.__table__.name: m.__table__ for m in (
        models.IdentityProviderModel, models.SsoSettingsModel, models.SsoGrantModel,
        models.SsoAuditModel, models.SamlMessageModel, models.FederationFeedModel)}
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        connection.execute(sa.text(f"SET LOCAL search_path TO {SCHEMA}, public"))
        with Operations.context(MigrationContext.configure(connection)):
            for revision in REVISIONS:
                _module(revision).upgrade()
        inspector = sa.inspect(connection)
        created = set(inspector.get_table_names(schema=SCHEMA))
        assert created == set(tables), created
        for name, table in tables.items():
            columns = {c["name"]: c for c in inspector.get_columns(name, schema=SCHEMA)}
            assert set(columns) == {c.name for c in table.columns}, name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (name, column.name)
            primary = inspector.get_pk_constraint(name, schema=SCHEMA)["constrained_columns"]
            assert sorted(primary) == sorted(c.name for c in table.primary_key), name
        with Operations.context(MigrationContext.configure(connection)):
            for revision in reversed(REVISIONS):
                _module(revision).downgrade()
        assert not sa.inspect(connection).get_table_names(schema=SCHEMA)
        connection.execute(sa.text(f"DROP SCHEMA {SCHEMA} CASCADE"))

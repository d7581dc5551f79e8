"""Take the depositor role given by the e-mail-domain join from unconfirmed addresses.

Until this revision anyone who signed up with an address of a library's e-mail
domain became at once a depositor of that library (and a reader of its
community), without proving the address. Joining now waits for the confirmation
(consortium_tenants.ext); this takes the role from those who have not confirmed.

What the domain join gives, and what this removes: the `<slug>-depositors` role
in the library owning the address's domain, and the `reader` community member
row mirroring it. The database does not record who gave a role, so a depositor
role a manager gave by hand to an unconfirmed address of the library's own domain
is removed as well; the person gets it back by confirming the address. Manager
and curator roles, depositor roles in other libraries and confirmed accounts are
left alone. Downgrade does not give the roles back.
"""

import sqlalchemy as sa
from alembic import op

revision = "7b3d5f9a2c18"
down_revision = "6a2c4e8f1b17"
branch_labels = ()
depends_on = None

# The tenant's depositor role of an unconfirmed user whose address is in one of
# the tenant's e-mail domains (a role is named "<slug>-depositors").
DOMAIN_DEPOSITORS = """
    SELECT ur.user_id, ur.role_id, t.slug, t.community_id
    FROM accounts_userrole ur
    JOIN accounts_role r ON r.id = ur.role_id
    JOIN consortium_tenants t ON r.name = t.slug || '-depositors'
    JOIN accounts_user u ON u.id = ur.user_id
    WHERE u.confirmed_at IS NULL
      AND EXISTS (
        SELECT 1 FROM json_array_elements_text(t.email_domains::json) AS d(domain)
        WHERE lower(d.domain) = lower(substring(u.email from '@([^@]*)$'))
      )
"""

# Community member rows mirroring a depositor role (reader) of a user who holds
# no role of the tenant any more.
ORPHANED_READERS = """
    SELECT m.id, m.user_id FROM communities_members m
    WHERE m.community_id = :community_id AND m.user_id = :user_id AND m.role = 'reader'
      AND NOT EXISTS (
        SELECT 1 FROM accounts_userrole ur JOIN accounts_role r ON r.id = ur.role_id
        WHERE ur.user_id = m.user_id AND r.name IN (:managers, :curators, :depositors)
      )
"""


def upgrade():
    """Upgrade database."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(DOMAIN_DEPOSITORS)).mappings().all()
    removed_members, users = [], set()
    for row in rows:
        conn.execute(
            sa.text("DELETE FROM accounts_userrole WHERE user_id = :u AND role_id = :r"),
            {"u": row["user_id"], "r": row["role_id"]},
        )
        slug = row["slug"]
        orphans = conn.execute(sa.text(ORPHANED_READERS), {
            "community_id": row["community_id"], "user_id": row["user_id"],
            "managers": f"{slug}-managers", "curators": f"{slug}-curators",
            "depositors": f"{slug}-depositors",
        }).all()
        for member_id, user_id in orphans:
            conn.execute(sa.text("DELETE FROM communities_members WHERE id = :id"),
                         {"id": member_id})
            removed_members.append(str(member_id))
        users.add(row["user_id"])
    _forget(removed_members, users)


def _forget(member_ids, user_ids):
    """Run in the application (`invenio alembic upgrade`): drop the removed members'
    search documents and the users' cached community roles. Without an application
    (plain alembic) only the rows change; `invenio rdm rebuild-all-indices -o members`
    then refreshes the member lists, and the cached roles expire on their own."""
    from flask import current_app, has_app_context

    if not has_app_context() or not (member_ids or user_ids):
        return
    try:
        from flask_principal import Identity
        from invenio_communities.members.records.api import Member
        from invenio_communities.utils import on_user_membership_change
        from invenio_search import current_search_client
        from invenio_search.utils import build_alias_name

        index = build_alias_name(Member.index._name)
        for member_id in member_ids:
            current_search_client.delete(index=index, id=member_id, ignore=[404])
        for user_id in user_ids:
            on_user_membership_change(Identity(user_id))
    except Exception:  # search or cache down: the rows are what counts
        current_app.logger.exception(
            "Removed unconfirmed domain members; could not update the member index "
            "or the identity cache (run `invenio rdm rebuild-all-indices -o members`)")


def downgrade():
    """Downgrade database (the roles are not given back)."""

"""The tenant service: registry operations and provisioning of a library.

Creating a tenant provisions, in one unit of work, the library's community,
its member roles (managers, curators, depositors) mapped to community roles,
and whatever the features registered as components provision
(CONSORTIUM_TENANT_SERVICE_COMPONENTS). Every operation is one transaction:
anything failing rolls the whole operation back.
"""

import io

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_accounts.models import Role
from invenio_accounts.proxies import current_datastore
from invenio_communities.members.records.models import MemberModel
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_i18n import gettext as _
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_records_resources.services import Service
from invenio_records_resources.services.base.links import LinksTemplate
from invenio_records_resources.services.uow import unit_of_work
from marshmallow import ValidationError
from sqlalchemy import func, or_

from ..paging import Page, check_page
from .errors import TenantConflict, TenantNotFound
from .host_cache import host_cache
from .logo import JPEG, PNG, generated_logo, validate_logo
from .models import TenantHostModel, TenantModel
from .permissions import MANAGER_EDITABLE, role_name
from .theme import CONSORTIUM_COLORS, community_theme

LOGO_TYPES = ((PNG, "image/png"), (JPEG, "image/jpeg"))


def store_community_logo(community_id, content, uow, identity=system_identity):
    """CONTENT (a checked logo) becomes the logo of the community, stored with its MIME
    type: the file key ("logo") has no extension, and a file without one is sent as
    application/octet-stream, which browsers block (ORB) or do not show as an image.
    (An SVG is sent so anyway: invenio-files-rest's type whitelist has no SVG.)"""
    result = current_communities.service.update_logo(
        identity, community_id, io.BytesIO(content), len(content), uow=uow)
    record = current_communities.service.record_cls.pid.resolve(community_id)
    kind = next((t for magic, t in LOGO_TYPES if content.startswith(magic)), "image/svg+xml")
    record.files["logo"].object_version.mimetype = kind
    return result


class TenantService(Service):
    """Create, read, search, update, suspend and delete member libraries."""

    @property
    def schema(self):
        return self.config.schema()

    # --- helpers -------------------------------------------------------------
    def require(self, identity, action, tenant=None):
        """Raise PermissionDeniedError unless IDENTITY may do ACTION (with TENANT)."""
        self.require_permission(identity, action, record=tenant)

    def get(self, slug):
        """The tenant model with SLUG, or TenantNotFound."""
        tenant = TenantModel.query.filter_by(slug=slug).one_or_none()
        if tenant is None:
            raise TenantNotFound(_("No member library with slug '%(slug)s'.", slug=slug))
        return tenant

    @staticmethod
    def implicit_slug(host):
        """SLUG if HOST is `<slug>.<CONSORTIUM_TENANT_HOST_SUFFIX>`, else None."""
        suffix = "." + current_app.config["CONSORTIUM_TENANT_HOST_SUFFIX"]
        return host[: -len(suffix)] if host.endswith(suffix) else None

    @classmethod
    def by_host(cls, host):
        """The tenant answering on HOST (lower-case, without port), or None.

        Cached per process until the tenant registry changes (host_cache).
        """
        return host_cache.tenant(host, cls.by_host_uncached)

    @classmethod
    def by_host_uncached(cls, host):
        """`by_host` read from the database.

        A library's implicit host is its own even where another library lists it
        (rows stored before such hosts were refused).
        """
        slug = cls.implicit_slug(host)
        tenant = TenantModel.query.filter_by(slug=slug).one_or_none() if slug else None
        if tenant is None:
            row = db.session.get(TenantHostModel, host)
            tenant = db.session.get(TenantModel, row.tenant_id) if row is not None else None
        return tenant

    @classmethod
    def _holders(cls, host):
        """Slugs of the libraries answering on HOST, by their hosts or their implicit host."""
        row = db.session.get(TenantHostModel, host)
        slugs = {db.session.get(TenantModel, row.tenant_id).slug} if row is not None else set()
        implicit = cls.implicit_slug(host)
        if implicit and TenantModel.query.filter_by(slug=implicit).count():
            slugs.add(implicit)
        return slugs

    @staticmethod
    def with_email_domain(domain, exclude=None):
        """The tenant (other than EXCLUDE) owning e-mail DOMAIN, or None."""
        query = TenantModel.query
        if exclude is not None:
            query = query.filter(TenantModel.id != exclude.id)
        return next((t for t in query if domain in (t.email_domains or [])), None)

    def for_email(self, email):
        """The tenant whose e-mail domains include EMAIL's domain, or None."""
        return self.with_email_domain(email.rsplit("@", 1)[-1].lower())

    def links(self, identity, tenant, templates=None):
        """TENANT's links expanded from TEMPLATES (default: the config's `links_item`)."""
        context = {"slug": tenant.slug, "community_id": str(tenant.community_id)}
        return LinksTemplate(templates or self.config.links_item, context).expand(
            identity, tenant)

    def dump(self, tenant, identity=system_identity):
        """JSON of a tenant, with links; the components add theirs."""
        data = self.schema.dump(tenant)
        data["hosts"] = sorted(h.host for h in tenant.hosts)
        data["links"] = self.links(identity, tenant)
        for component in self.components:
            component.dump(tenant, data)
        return data

    def _check_unique(self, data, tenant=None):
        """Refuse slugs, hosts and e-mail domains that are taken.

        A host is taken when it is the consortium's (CONSORTIUM_HOSTS), another
        library's own host or another library's implicit host; a new library's
        implicit host must be free too.
        """
        slug, hosts = data["slug"], list(data.get("hosts", []))
        if tenant is None:
            if TenantModel.query.filter_by(slug=slug).count():
                raise TenantConflict(_("A member library with slug '%(slug)s' exists.", slug=slug))
            hosts.append(f"{slug}.{current_app.config['CONSORTIUM_TENANT_HOST_SUFFIX']}")
        for host in hosts:
            if host in current_app.config["CONSORTIUM_HOSTS"]:
                raise TenantConflict(_("Host %(host)s is a host of the consortium itself.",
                                       host=host))
            others = sorted(self._holders(host) - {slug})
            if others:
                raise TenantConflict(_("Host %(host)s belongs to member library '%(slug)s'.",
                                       host=host, slug=others[0]))
        for domain in data.get("email_domains", []):
            other = self.with_email_domain(domain, exclude=tenant)
            if other is not None:
                raise TenantConflict(_(
                    "E-mail domain %(domain)s belongs to member library '%(slug)s'.",
                    domain=domain, slug=other.slug))

    def _community_data(self, tenant):
        """The new community of TENANT, with the components' settings."""
        data = {
            "slug": tenant.slug,
            "access": {
                "visibility": "public",
                "member_policy": "closed",
                "members_visibility": "public",
            },
            "metadata": {**self._community_names(tenant), "type": {"id": "organization"}},
            "theme": self._community_theme(tenant),
            "children": {"allow": True},  # the library's collections (OAI sub-sets)
        }
        for component in self.components:
            component.community(tenant, data)
        return data

    @staticmethod
    def _community_names(tenant):
        """Community title (Czech name) and description (English name)."""
        return {"title": tenant.names["cs"], "description": tenant.names["en"]}

    @staticmethod
    def _community_theme(tenant):
        """The library's colours as an InvenioRDM community theme (complete: see .theme)."""
        return community_theme(tenant)

    # --- operations ----------------------------------------------------------
    @unit_of_work()
    def create(self, identity, data, uow=None):
        """Register a member library and provision its community, roles and features."""
        self.require(identity, "create")
        data = self.config.new_schema().load(data)
        self._check_unique(data)
        hosts = data.pop("hosts")
        tenant = TenantModel(**data, status="active")
        tenant.hosts = [TenantHostModel(host=h) for h in hosts]
        db.session.add(tenant)
        db.session.flush()
        community = current_communities.service.create(
            system_identity, self._community_data(tenant), uow=uow
        )
        tenant.community_id = community.id
        self._store_logo(tenant, self._generated_logo(tenant), uow)
        for group in current_app.config["CONSORTIUM_TENANT_ROLES"]:
            name = role_name(tenant.slug, group)
            if Role.query.filter_by(name=name).one_or_none() is None:
                current_datastore.create_role(
                    id=name, name=name,
                    description=f"{group.capitalize()} of {tenant.names['en']}",
                )
        self.run_components("create", identity, data=data, tenant=tenant, uow=uow)
        return self.dump(tenant, identity)

    def read(self, identity, slug):
        """One tenant."""
        tenant = self.get(slug)
        self.require(identity, "read", tenant)
        return self.dump(tenant, identity)

    def search(self, identity, q=None, sort="slug", page=1, size=25):
        """Page through tenants, optionally matching Q in slug or names."""
        self.require(identity, "search")
        sorts = self.config.sorts
        errors = {} if sort in sorts else {"sort": [f"Must be one of: {', '.join(sorts)}."]}
        check_page(page, size, self.config.max_page_size, errors)
        query = TenantModel.query
        if q:
            like = f"%{q.lower()}%"
            query = query.filter(
                or_(
                    TenantModel.slug.ilike(like),
                    func.lower(TenantModel.short_name).like(like),
                    func.lower(TenantModel.names["cs"].as_string()).like(like),
                    func.lower(TenantModel.names["en"].as_string()).like(like),
                )
            )
        total = query.count()
        items = query.order_by(sorts[sort]).offset((page - 1) * size).limit(size).all()
        args = {"sort": sort, "size": size, **({"q": q} if q else {})}
        links = LinksTemplate(self.config.links_search, {"args": args}).expand(
            identity, Page(page, size, total))
        return {
            "hits": {"hits": [self.dump(t, identity) for t in items], "total": total},
            "sortBy": sort,
            "links": links,
        }

    def search_all(self, identity, q=None):
        """Every tenant matching Q, in slug order: all pages of `search`."""
        hits, page = [], 1
        while True:
            result = self.search(identity, q=q, page=page, size=self.config.max_page_size)
            hits += result["hits"]["hits"]
            if "next" not in result["links"]:
                return hits
            page += 1

    @unit_of_work()
    def update(self, identity, slug, data, uow=None):
        """Change a tenant; its community follows names and branding."""
        tenant = self.get(slug)
        self.require(identity, "update", tenant)
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        current = self.dump(tenant)
        merged = {k: current[k] for k in ("slug", "names", "short_name", "ror",
                                          "contact_email", "hosts", "email_domains",
                                          "branding", "oai_identifier_prefix")}
        merged["storage"] = tenant.storage or {}
        merged.update({k: v for k, v in data.items() if k in merged})
        if merged["slug"] != tenant.slug:
            raise ValidationError({"slug": ["The slug of a member library cannot change."]})
        loaded = self.schema.load(merged)
        changed = {k for k, v in loaded.items() if v != current.get(k)}
        if loaded["storage"] == (tenant.storage or {}):
            changed.discard("storage")
        if changed - MANAGER_EDITABLE:
            self.require(identity, "update_restricted", tenant)
        self._check_unique(loaded, tenant)
        hosts = loaded.pop("hosts")
        loaded.pop("slug")
        for key, value in loaded.items():
            setattr(tenant, key, value)
        if set(hosts) != {h.host for h in tenant.hosts}:
            tenant.hosts = [TenantHostModel(host=h) for h in hosts]
        if changed & {"names", "branding"}:
            community = current_communities.service.read(system_identity, tenant.community_id)
            community_data = {**community.data}
            community_data["metadata"] = {
                **community_data["metadata"], **self._community_names(tenant)
            }
            community_data["theme"] = self._community_theme(tenant)
            current_communities.service.update(
                system_identity, tenant.community_id, community_data, uow=uow
            )
        self.run_components("update", identity, data=data, tenant=tenant, uow=uow)
        return self.dump(tenant, identity)

    @unit_of_work()
    def set_logo(self, identity, slug, data, uow=None):
        """Validate (and for SVG sanitise) a logo; it becomes the community logo."""
        tenant = self.get(slug)
        self.require(identity, "update", tenant)
        self._store_logo(tenant, validate_logo(data), uow)
        return self.dump(tenant, identity)

    @staticmethod
    def _generated_logo(tenant):
        """TENANT's short name on its primary colour (the consortium's if it has none)."""
        color = (tenant.branding or {}).get("primary_color") or CONSORTIUM_COLORS["primary_color"]
        return generated_logo(tenant.short_name, color)

    @classmethod
    def _store_logo(cls, tenant, content, uow):
        """CONTENT (checked) becomes the logo of TENANT's community, with its image type."""
        store_community_logo(tenant.community_id, content, uow)

    @staticmethod
    def has_logo(tenant):
        """Whether TENANT's community has a logo."""
        record = current_communities.service.record_cls.pid.resolve(tenant.community_id)
        return record.files.get("logo") is not None

    @unit_of_work()
    def generate_missing_logos(self, identity, uow=None):
        """Give every library without a logo its generated one; their slugs."""
        self.require(identity, "create")
        missing = [t for t in TenantModel.query.order_by(TenantModel.slug)
                   if t.community_id is not None and not self.has_logo(t)]
        for tenant in missing:
            self._store_logo(tenant, self._generated_logo(tenant), uow)
        return [t.slug for t in missing]

    @unit_of_work()
    def set_status(self, identity, slug, status, uow=None):
        """Suspend or resume a library (consortium administrators)."""
        tenant = self.get(slug)
        self.require(identity, "suspend" if status == "suspended" else "resume", tenant)
        tenant.status = status
        return self.dump(tenant, identity)

    @staticmethod
    def _record_counts(tenant):
        """(published records, drafts) in or submitted to the library's community."""
        cid = tenant.community_id
        query = f'parent.communities.ids:"{cid}" OR parent.review.receiver.community:"{cid}"'
        published = current_rdm_records_service.search(
            system_identity, params={"q": query, "size": 1}
        ).total
        drafts = current_rdm_records_service.search_drafts(
            system_identity, params={"q": query, "size": 1}
        ).total
        return published, drafts

    def record_count(self, tenant):
        """Published records and drafts of the library."""
        return sum(self._record_counts(tenant))

    def usage(self, identity, slug):
        """What the library uses: records, drafts, members, and what its features count
        (storage: O(1) counters)."""
        tenant = self.get(slug)
        self.require(identity, "read_usage", tenant)
        published, drafts = self._record_counts(tenant)
        members = {group: len(emails) for group, emails in self._members(tenant).items()}
        return {"records": published, "drafts": drafts, "members": members,
                **self.counters(tenant)}

    def counters(self, tenant, moment=None):
        """What the features count for TENANT now, or at MOMENT (naive UTC) as far as
        they know; no permission check (the system's own accounting)."""
        data = {}
        for component in self.components:
            if moment is None:
                component.usage(tenant, data)
            else:
                component.usage_at(tenant, moment, data)
        return data

    def doi_prefix(self, tenant):
        """The DOI prefix TENANT's new works are registered under, or None (no DOI)."""
        for component in self.components:
            prefix = component.doi_prefix(tenant)
            if prefix:
                return prefix
        return None

    def publication_choice(self, record, name):
        """What a feature chose NAME to be for publishing deposit RECORD, or None (the
        library's usual way)."""
        for component in self.components:
            choice = component.publication_choice(record, name)
            if choice is not None:
                return choice
        return None

    def member_count(self, tenant):
        """People holding any of the library's roles."""
        return len({email for emails in self._members(tenant).values() for email in emails})

    @unit_of_work()
    def delete(self, identity, slug, uow=None):
        """Delete a library without records, with its community and roles."""
        tenant = self.get(slug)
        self.require(identity, "delete", tenant)
        count = self.record_count(tenant)
        if count:
            raise TenantConflict(_(
                "Member library '%(slug)s' still has %(count)s records; it cannot be deleted.",
                slug=slug, count=count))
        self.run_components("delete", identity, tenant=tenant, uow=uow)
        current_communities.service.delete(system_identity, tenant.community_id, uow=uow)
        for group in current_app.config["CONSORTIUM_TENANT_ROLES"]:
            role = Role.query.filter_by(name=role_name(slug, group)).one_or_none()
            if role is not None:
                db.session.delete(role)
        db.session.delete(tenant)

    # --- members -------------------------------------------------------------
    def members(self, identity, slug):
        """Users in each of the tenant's roles."""
        tenant = self.get(slug)
        self.require(identity, "manage_members", tenant)
        return self._members(tenant)

    @staticmethod
    def _members(tenant):
        slug, result = tenant.slug, {}
        for group in current_app.config["CONSORTIUM_TENANT_ROLES"]:
            role = Role.query.filter_by(name=role_name(slug, group)).one_or_none()
            result[group] = sorted(u.email for u in (role.users if role else []))
        return result

    def _member_change(self, identity, slug, data, add, uow):
        """Give or take a role; the community membership follows in the same transaction."""
        tenant = self.get(slug)
        self.require(identity, "manage_members", tenant)
        data = self.config.member_schema().load(data)
        user = current_datastore.find_user(email=data["email"])
        if user is None:
            raise ValidationError({"email": [f"No user with e-mail {data['email']}."]})
        role = Role.query.filter_by(name=role_name(slug, data["role"])).one()
        if add:
            current_datastore.add_role_to_user(user, role)
        else:
            current_datastore.remove_role_from_user(user, role)
        db.session.flush()
        self._sync_community_member(tenant, user, uow)
        return self.members(identity, slug)

    @staticmethod
    def _sync_community_member(tenant, user, uow):
        """Mirror the user's highest tenant role as a user member of the community.

        InvenioRDM v14 only honours community *group* memberships for groups
        loaded into the login session by an OAuth provider, so tenant roles are
        mirrored as per-user memberships (which also work with API tokens).
        """
        ranking = ["reader", "curator", "manager", "owner"]
        mapping = current_app.config["CONSORTIUM_TENANT_ROLES"]
        held = [
            community_role
            for group, community_role in mapping.items()
            if user.has_role(role_name(tenant.slug, group))
        ]
        wanted = max(held, key=ranking.index) if held else None
        existing = MemberModel.query.filter_by(
            community_id=tenant.community_id, user_id=user.id
        ).one_or_none()
        members = current_communities.service.members
        member = {"members": [{"type": "user", "id": str(user.id)}]}
        if wanted is None and existing is not None:
            members.delete(system_identity, tenant.community_id, member, uow=uow)
        elif wanted and existing is None:
            members.add(system_identity, tenant.community_id, {**member, "role": wanted}, uow=uow)
        elif wanted and existing.role != wanted:
            members.update(system_identity, tenant.community_id, {**member, "role": wanted},
                           uow=uow)

    def join_by_email_domain(self, user):
        """Make USER a depositor of the library owning its e-mail domain, once.

        Only a confirmed address counts (`confirmed_at` set by following the
        confirmation link, or by `invenio users create --confirm`): anyone can
        sign up with any address, and an unconfirmed one proves nothing.
        """
        if not user.email or getattr(user, "confirmed_at", None) is None:
            return None
        tenant = self.for_email(user.email)
        if tenant is None:
            return None
        groups = current_app.config["CONSORTIUM_TENANT_ROLES"]
        if any(user.has_role(role_name(tenant.slug, g)) for g in groups):
            return tenant
        self.add_member(system_identity, tenant.slug, {"email": user.email, "role": "depositors"})
        return tenant

    @unit_of_work()
    def add_member(self, identity, slug, data, uow=None):
        """Give a user one of the tenant's roles."""
        return self._member_change(identity, slug, data, True, uow)

    @unit_of_work()
    def remove_member(self, identity, slug, data, uow=None):
        """Take one of the tenant's roles from a user."""
        return self._member_change(identity, slug, data, False, uow)

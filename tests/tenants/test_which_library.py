"""Which library a deposit, request or person belongs to: one precedence for all.

Headed-to communities, then the library the deposit is assigned to (its files'
storage), then the request's host, then the person's only library.
"""

from types import SimpleNamespace

import pytest
from flask import g
from flask_principal import Identity, RoleNeed
from marshmallow import ValidationError

from consortium_tenants.storage.accounts import account_of
from consortium_tenants.tenants.library import (
    libraries_of_deposit,
    libraries_of_person,
    library_of_community,
    library_of_deposit,
)
from consortium_tenants.tenants.models import TenantModel


@pytest.fixture(scope="module")
def three(make_tenant):
    """Three libraries' models."""
    slugs = [make_tenant("which")[0]["slug"] for _ in range(3)]
    return [TenantModel.query.filter_by(slug=slug).one() for slug in slugs]


def person(*tenants, group="depositors"):
    identity = Identity(1)
    for tenant in tenants:
        identity.provides.add(RoleNeed(f"{tenant.slug}-{group}"))
    return identity


def deposit(communities=(), receiver=None, stored_in=None):
    """A draft as the precedence reads it: parent communities, review, bucket."""
    review = None if receiver is None else SimpleNamespace(
        receiver=SimpleNamespace(reference_dict={"community": str(receiver.community_id)}))
    parent = SimpleNamespace(review=review, communities=SimpleNamespace(
        ids=[str(t.community_id) for t in communities]))
    bucket = None if stored_in is None else SimpleNamespace(
        default_location=account_of(stored_in).location_id)
    return SimpleNamespace(parent=parent, bucket=bucket)


def slug_of(library):
    return library.slug if library is not None else None


def slugs(libraries):
    return {library.slug for library in libraries}


def headed_to(tenant):
    return {"parent": {"review": {"receiver": {"community": str(tenant.community_id)}}}}


@pytest.fixture()
def on_host(app):
    """Run with the request's host being LIBRARY's (None: the consortium's)."""
    with app.test_request_context():
        def _on(library):
            g.tenant = library
        _on(None)
        yield _on


def test_a_person_belongs_to_the_libraries_of_their_member_roles(three, on_host):
    a, b, _ = three
    assert slugs(libraries_of_person(person(a, b))) == {a.slug, b.slug}
    assert libraries_of_person(Identity(1)) == []


def test_the_community_a_deposit_is_headed_to_comes_first(three, on_host):
    a, b, c = three
    on_host(b)
    draft = deposit(receiver=c, stored_in=b)
    assert slug_of(library_of_deposit(person(a), draft, headed_to(a))) == a.slug
    assert slug_of(library_of_deposit(person(a), draft)) == c.slug
    assert slugs(libraries_of_deposit(person(a), deposit(communities=[a, b]))) == \
        {a.slug, b.slug}


def test_then_the_library_the_deposit_is_stored_in(three, on_host):
    a, b, c = three
    on_host(c)
    assert slug_of(library_of_deposit(person(a), deposit(stored_in=b))) == b.slug
    assert slugs(libraries_of_deposit(person(a), deposit(stored_in=b))) == {b.slug}
    # headed to several communities: the one library is the stored-in one
    several = deposit(communities=[a, c], stored_in=b)
    assert slug_of(library_of_deposit(person(a), several)) == b.slug


def test_then_the_library_of_the_host(three, on_host):
    a, b, _ = three
    on_host(b)
    assert slug_of(library_of_deposit(person(a), deposit())) == b.slug
    assert slugs(libraries_of_deposit(person(a), deposit())) == {b.slug}


def test_then_the_persons_only_library(three, on_host):
    a, _, _ = three
    assert slug_of(library_of_deposit(person(a), deposit())) == a.slug
    assert slug_of(library_of_deposit(person(a), None)) == a.slug
    assert library_of_deposit(Identity(1), deposit()) is None


def test_a_member_of_several_libraries_must_choose(three, on_host):
    a, b, _ = three
    assert library_of_deposit(person(a, b), deposit()) is None
    assert libraries_of_deposit(person(a, b), deposit()) == []
    with pytest.raises(ValidationError) as error:
        library_of_deposit(person(a, b), deposit(), strict=True)
    assert list(error.value.messages) == ["parent.review"]
    chosen = library_of_deposit(person(a, b), deposit(), headed_to(b), strict=True)
    assert slug_of(chosen) == b.slug


def test_a_community_belongs_to_its_library_only(three):
    a, _, _ = three
    assert slug_of(library_of_community(a.community_id)) == a.slug
    assert slug_of(library_of_community(str(a.community_id))) == a.slug
    assert library_of_community(None) is None

"""The daily beat task runs `platform check` and alerts the consortium administrators."""

from helpers import deposit, scheduled_job


def _skew(slug, extra_bytes):
    from consortium_tenants.storage.models import TenantStorageModel
    from consortium_tenants.tenants.models import TenantModel
    from invenio_db import db

    tenant_id = TenantModel.query.filter_by(slug=slug).one().id
    row = TenantStorageModel.query.filter_by(tenant_id=tenant_id).one()
    row.bytes += extra_bytes
    db.session.commit()


def _our_banners():
    from invenio_banners.records.models import BannerModel

    return [b.message for b in BannerModel.get_active("/administration/tenants")
            if "invenio platform check" in b.message]


def test_daily_check_mails_admins_and_shows_a_banner_until_clean(
        app, client, make_tenant, admin_headers, outbox):
    from consortium_platform.tasks import administrators, check_platform
    from invenio_accounts.proxies import current_datastore

    assert scheduled_job("consortium-platform-check")[1] is check_platform
    tenant, people = make_tenant("daily")
    deposit(client, people["depositors"], tenant["community_id"], content=b"12345")
    assert check_platform.delay().get() == 0
    assert outbox == [] and _our_banners() == []

    _skew(tenant["slug"], 700)
    assert check_platform.delay().get() == 1
    admins = administrators()
    assert len(admins) >= 1
    [mail] = outbox
    assert mail.recipients == admins
    assert "1 difference(s)" in mail.subject
    assert f"storage / {tenant['slug']}: usage counters differ" in mail.body
    [banner] = _our_banners()
    assert "1 difference(s)" in banner
    assert all(current_datastore.find_user(email=e).has_role("consortium-admin")
               for e in admins)

    # The task only reports; the operator repairs; the next run takes the banner down.
    assert check_platform.delay().get() == 1
    assert len(_our_banners()) == 1  # updated, not duplicated
    _skew(tenant["slug"], -700)
    assert check_platform.delay().get() == 0
    assert _our_banners() == []

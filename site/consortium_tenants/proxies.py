"""Proxies to the tenants extension and its service."""

from flask import current_app
from werkzeug.local import LocalProxy

current_consortium = LocalProxy(lambda: current_app.extensions["consortium-tenants"])
current_tenants_service = LocalProxy(lambda: current_consortium.tenants_service)
current_workflows_service = LocalProxy(lambda: current_consortium.workflows_service)
current_storage_service = LocalProxy(lambda: current_consortium.storage_service)
current_billing_service = LocalProxy(lambda: current_consortium.billing_service)
current_datacite_service = LocalProxy(lambda: current_consortium.datacite_service)
current_oa_service = LocalProxy(lambda: current_consortium.oa_service)
current_kramerius_service = LocalProxy(lambda: current_consortium.kramerius_service)
current_stats_service = LocalProxy(lambda: current_consortium.stats_service)

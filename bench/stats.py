"""Usage statistics benchmark: synthetic usage events through the real COUNTER pipeline.

Publishes EVENTS synthetic record-view (70 %) and file-download (30 %) events of
ITEMS items in LIBRARIES member libraries (created once in the bench instance),
spread over last month, to invenio-stats' queues, as the landing pages and
downloads do; then times, on the bench instance:

* processing: invenio-stats' `process_events` task (the project's preprocessors:
  robots, the 30 s double-click window in Redis, anonymisation) into the events
  indices;
* aggregation: `compute_month`, the events indices → the monthly metrics table;
* an IR of one library for the month (goal < 2 s) and the consortium's PR for the
  month (goal < 1 s), the SUSHI reports as built for a harvester (median of 3).

Each run first deletes the bench's events indices of that month, so runs do not add up.

Usage (services running): .venv/bin/python bench/stats.py [--events 1000000]
    [--items 10000] [--libraries 20] [--seed 1]
"""

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

from instance import bar, make_app

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
DATA_TYPES = ("Article", "Dataset", "Report", "Thesis_or_Dissertation", "Software")
CHUNK = 5000


def libraries(count):
    """The bench's COUNT member libraries (created when missing), as TenantModel rows."""
    from invenio_access.permissions import system_identity

    from consortium_tenants.proxies import current_tenants_service as tenants
    from consortium_tenants.tenants.errors import TenantNotFound
    from consortium_tenants.tenants.models import TenantModel

    slugs = [f"stats-bench-{i:02d}" for i in range(1, count + 1)]
    for index, slug in enumerate(slugs, 1):
        try:
            tenants.read(system_identity, slug)
        except TenantNotFound:
            tenants.create(system_identity, {
                "slug": slug, "names": {"cs": f"Knihovna {index}", "en": f"Library {index}"},
                "short_name": f"SB{index:02d}", "contact_email": f"{slug}@bench.example"})
    return TenantModel.query.filter(TenantModel.slug.in_(slugs)).order_by(TenantModel.slug).all()


def synthetic_events(count, items, tenants, month, seed):
    """(kind, event) pairs as RDM's builders and ours make them, at random moments of MONTH."""
    rng = random.Random(seed)
    start = datetime.combine(month, datetime.min.time())
    end = datetime.combine((month.replace(day=28) + timedelta(days=4)).replace(day=1),
                           datetime.min.time())
    span = (end - start).total_seconds()
    visitors = max(count // 5, 1)
    for _ in range(count):
        item = rng.randrange(items)
        tenant = tenants[item % len(tenants)]
        visitor = rng.randrange(visitors)
        event = {
            "timestamp": (start + timedelta(seconds=rng.random() * span)).isoformat(),
            "recid": f"sb{item:06d}", "parent_recid": f"sp{item:06d}", "referrer": None,
            "ip_address": f"10.{visitor >> 16 & 255}.{visitor >> 8 & 255}.{visitor & 255}",
            "user_agent": FIREFOX, "user_id": None, "session_id": None, "via_api": False,
            "tenant_id": str(tenant.id), "access_type": "Open",
            "yop": str(2000 + item % 26), "data_type": DATA_TYPES[item % len(DATA_TYPES)],
        }
        if rng.random() < 0.3:
            event.update({"bucket_id": f"b{item:06d}", "file_id": f"f{item:06d}",
                          "file_key": "work.pdf", "size": 1000})
            yield "file-download", event
        else:
            yield "record-view", event


def publish(events):
    """Queue EVENTS (kind, event) for invenio-stats, in chunks; returns the count per kind.

    The pages publish each event through kombu (one Redis round trip and ~1 ms of
    kombu each: 1 000 000 events took ~30 min here); the bench writes the same kombu
    messages straight into the queues' Redis lists, a pipeline a chunk.
    """
    from invenio_stats.proxies import current_stats

    chunks, counts = {"record-view": [], "file-download": []}, {}

    def send(kind, chunk):
        queue = current_stats.events[kind].queue
        with queue.connection_pool.acquire(block=True) as connection:
            if connection.transport.driver_type != "redis":
                return current_stats.publish(kind, chunk)
            channel = connection.default_channel
            pipe = channel.client.pipeline(transaction=False)
            for event in chunk:
                message = channel.prepare_message(json.dumps(event),
                                                  content_type="application/json",
                                                  content_encoding="utf-8")
                channel._inplace_augment_message(message, queue.exchange.name,
                                                 queue.routing_key)
                pipe.lpush(queue.routing_key, json.dumps(message))
            pipe.execute()

    for kind, event in events:
        chunks[kind].append(event)
        counts[kind] = counts.get(kind, 0) + 1
        if len(chunks[kind]) >= CHUNK:
            send(kind, chunks[kind])
            chunks[kind] = []
    for kind, chunk in chunks.items():
        if chunk:
            send(kind, chunk)
    return counts


def timed(call, repeat=1):
    """(median seconds over REPEAT calls, last result) of CALL()."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--libraries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reports-only", action="store_true",
                        help="Only time the reports on the metrics of an earlier run.")
    args = parser.parse_args()
    app = make_app()
    with app.app_context():
        from flask import current_app
        from invenio_search import current_search_client
        from invenio_search.utils import prefix_index
        from invenio_stats.tasks import process_events

        from invenio_access.permissions import system_identity

        from consortium_tenants.proxies import current_stats_service
        from consortium_tenants.stats.models import ItemMonthUsage
        from consortium_tenants.stats.sushi import Customer, customer_of, item_report, \
            platform_report

        tenants = libraries(args.libraries)
        first = datetime.now(timezone.utc).date().replace(day=1)
        month = (first - timedelta(days=1)).replace(day=1)
        key = month.strftime("%Y-%m")
        publish_s = process_s = aggregate_s = 0.0
        counts, indexed, rows = {}, 0, 0
        if not args.reports_only:
            for kind in ("record-view", "file-download"):
                current_search_client.indices.delete(
                    index=prefix_index(f"events-stats-{kind}-{key}"), ignore_unavailable=True)
            print(f"{args.events} events, {args.items} items, {len(tenants)} libraries, "
                  f"month {key}", file=sys.stderr)
            publish_s, counts = timed(lambda: publish(synthetic_events(
                args.events, args.items, tenants, month, args.seed)))
            process_s, _ = timed(lambda: process_events(["record-view", "file-download"]))
            current_search_client.indices.refresh(index=prefix_index("events-stats-*"))
            indexed = sum(current_search_client.count(
                index=prefix_index(f"events-stats-{kind}-{key}"))["count"]
                for kind in ("record-view", "file-download"))
            aggregate_s, done = timed(lambda: current_stats_service.compute_month(
                system_identity, month))
            rows = done["rows"]
        metric_rows = ItemMonthUsage.query.filter_by(month=month).count()
        report_args = current_stats_service.config.report_args_schema().load(
            {"begin_date": key, "end_date": key})
        ir_s, ir = timed(lambda: item_report(report_args, customer_of(tenants[0])), 3)
        consortium = Customer(current_app.config["CONSORTIUM_SUSHI_CONSORTIUM_CUSTOMER_ID"],
                              tenants, current_app.config["CONSORTIUM_SUSHI_CREATED_BY"])
        pr_s, pr = timed(lambda: platform_report(report_args, consortium), 3)

    ir_items = sum(len(group["Items"]) for group in ir["Report_Items"])
    print(f"\nqueued {counts} in {publish_s:.1f} s; indexed {indexed} of "
          f"{sum(counts.values())} (the others: double clicks); {metric_rows} metric rows "
          f"({rows} computed)\n")
    figures = [
        ("process events (queue -> events indices)", process_s, None,
         f"{indexed / process_s:,.0f} events/s" if process_s else ""),
        ("aggregate (events -> monthly metrics)", aggregate_s, None,
         f"{indexed / aggregate_s:,.0f} events/s" if aggregate_s else ""),
        (f"IR, one library, {key} ({ir_items} items)", ir_s, 2.0, ""),
        (f"PR, consortium, {key} ({len(pr['Report_Items'])} platforms)", pr_s, 1.0, ""),
    ]
    top = max(s for _, s, _, _ in figures)
    print(f"{'step':<48} {'seconds':>9} {'goal':>7}  {'':<40} note")
    for label, seconds, goal, note in figures:
        verdict = "" if goal is None else (f"< {goal:g} s" + (" ok" if seconds < goal else " MISS"))
        print(f"{label:<48} {seconds:>9.2f} {verdict:>7}  {bar(seconds, top):<40} {note}")


if __name__ == "__main__":
    main()

"""RDM records service component: a published record is rendered for OAI-PMH at once."""

from invenio_records_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.uow import TaskOp

from .tasks import render_oai_metadata


class OAIRenderComponent(ServiceComponent):
    """After publication (the record is indexed), render its OAI-PMH metadata (Celery)."""

    def publish(self, identity, draft=None, record=None):
        self.uow.register(TaskOp(render_oai_metadata, [str(record.id)]))

"""The community submission request of a library, with "changes requested".

InvenioRDM's submission request (with its invenio-checks hooks) gains one
state: a curator asks for changes (`request_changes`, with a comment); the
request stays open, the depositor is notified, edits the draft and submits
it again through the usual `submit-review`. Curators may still accept or
decline; the depositor may cancel.
"""

from invenio_notifications.services.generators import ContextGenerator
from invenio_notifications.services.uow import NotificationOp
from invenio_rdm_records.checks import requests as checks_requests
from invenio_rdm_records.notifications.builders import (
    CommunityInclusionActionNotificationBuilder,
)
from invenio_rdm_records.services.permissions import RDMRequestsPermissionPolicy
from invenio_requests.customizations import CommentEventType, RequestState, actions
from invenio_requests.records.models import RequestEventModel
from invenio_records_permissions.generators import SystemProcess
from invenio_requests.services.generators import Creator, Receiver, Reviewers, Status, Topic

CHANGES_REQUESTED = "changes_requested"
BaseSubmission = checks_requests.CommunitySubmission


class CuratorCommentContext(ContextGenerator):
    """The curator's comment: the request's latest comment when the e-mail is sent."""

    def __call__(self, notification):
        request_id = notification.context["request"]["id"]
        comment = (RequestEventModel.query
                   .filter_by(request_id=request_id, type=CommentEventType.type_id)
                   .order_by(RequestEventModel.created.desc()).first())
        notification.context["message"] = (comment.json or {}).get("payload", {}).get(
            "content", "") if comment is not None else ""
        return notification


class ChangesRequestedNotificationBuilder(CommunityInclusionActionNotificationBuilder):
    """E-mail to the depositor: the curators ask for changes (cs/en templates)."""

    type = "community-submission.changes-requested"
    context = [*CommunityInclusionActionNotificationBuilder.context, CuratorCommentContext()]


class RequestChangesAction(actions.RequestAction):
    """A curator sends the submission back to its depositor."""

    status_from = ["submitted"]
    status_to = CHANGES_REQUESTED

    def execute(self, identity, uow):
        super().execute(identity, uow)
        uow.register(NotificationOp(
            ChangesRequestedNotificationBuilder.build(identity=identity, request=self.request)))


def _reopened(action_cls):
    """ACTION_CLS, also allowed while changes are requested."""
    return type(action_cls.__name__, (action_cls,),
                {"status_from": [*action_cls.status_from, CHANGES_REQUESTED]})


class LibrarySubmission(BaseSubmission):
    """Submission of a deposit to a member library's collection."""

    available_statuses = {**BaseSubmission.available_statuses,
                          CHANGES_REQUESTED: RequestState.OPEN}
    available_actions = {
        **BaseSubmission.available_actions,
        "submit": _reopened(BaseSubmission.available_actions["submit"]),
        "accept": _reopened(BaseSubmission.available_actions["accept"]),
        "decline": _reopened(BaseSubmission.available_actions["decline"]),
        "cancel": _reopened(BaseSubmission.available_actions["cancel"]),
        "request_changes": RequestChangesAction,
    }


class RequestsPermissionPolicy(RDMRequestsPermissionPolicy):
    """RDM's request permissions; the receiving curators may ask for changes.

    While changes are requested the request reads and updates as a submitted one.
    """

    can_read = RDMRequestsPermissionPolicy.can_read + [
        Status([CHANGES_REQUESTED], [Creator(), Receiver(), Reviewers(), Topic()])]
    can_update = RDMRequestsPermissionPolicy.can_update + [
        Status([CHANGES_REQUESTED], [Creator(), Receiver()])]
    can_action_request_changes = [Receiver(), SystemProcess()]

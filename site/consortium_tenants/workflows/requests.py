"""The community submission request of a library, with "changes requested".

InvenioRDM's submission request (with its invenio-checks hooks) gains one
state: a curator asks for changes (`request_changes`, with a comment, which is
required); the request stays open, the depositor is notified with that
comment, edits the draft and submits it again through the usual
`submit-review`. Curators may still accept or decline; the depositor may cancel.
"""

from invenio_drafts_resources.services.records.uow import ParentRecordCommitOp
from invenio_notifications.services.uow import NotificationOp
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.services.schemas import RDMRecordSchema
from invenio_records_resources.services.uow import RecordCommitOp, RecordIndexOp
from invenio_rdm_records.checks import requests as checks_requests
from invenio_rdm_records.notifications.builders import (
    CommunityInclusionActionNotificationBuilder,
)
from invenio_rdm_records.services.permissions import RDMRequestsPermissionPolicy
from invenio_requests.customizations import CommentEventType, RequestState, actions
from invenio_requests.proxies import current_events_service, current_requests_service
from invenio_records_permissions.generators import SystemProcess
from invenio_requests.services.generators import Creator, Receiver, Reviewers, Status, Topic
from invenio_i18n import gettext as _
from markupsafe import Markup
from marshmallow import ValidationError, fields


CHANGES_REQUESTED = "changes_requested"
BaseSubmission = checks_requests.CommunitySubmission


class ChangesRequestedNotificationBuilder(CommunityInclusionActionNotificationBuilder):
    """E-mail to the depositor: the curators ask for changes (in their language)."""

    type = "community-submission.changes-requested"

    @classmethod
    def build(cls, identity, request, message):
        """The notification, quoting MESSAGE (the curator's comment, sanitised HTML)."""
        notification = super().build(identity=identity, request=request)
        notification.context["message"] = message
        return notification


def require_comment(comment):
    """ValidationError unless COMMENT (`{"content": …, "format": …}`) says something."""
    content = comment.get("content") if isinstance(comment, dict) else None
    if not isinstance(content, str) or not Markup(content).striptags().strip():
        raise ValidationError({"payload": {"content": [
            _("Say what needs changing.")]}})


class RequestChangesAction(actions.RequestAction):
    """A curator sends the submission back to its depositor, saying what to change.

    Run through `ask_for_changes` (`comment={"content": …}`, not `data`): the
    comment is required, posted to the discussion after the state change and
    quoted in the depositor's e-mail.
    """

    status_from = ["submitted"]
    status_to = CHANGES_REQUESTED

    def execute(self, identity, uow, comment=None, **kwargs):
        require_comment(comment)
        super().execute(identity, uow)
        _cache_review_status(self.request, uow)
        event = current_events_service.create(
            identity, self.request.id, {"payload": comment}, CommentEventType, uow=uow)
        uow.register(NotificationOp(ChangesRequestedNotificationBuilder.build(
            identity=identity, request=self.request,
            message=event.data["payload"]["content"])))


def _cache_review_status(request, uow):
    """Store REQUEST's new status in its draft's cached review (as RDM's decline does)."""
    draft = request.topic.resolve()
    service = current_rdm_records_service
    if draft.parent.review is not None:
        draft.parent.review = request
        uow.register(ParentRecordCommitOp(draft.parent, indexer_context={"service": service}))
        uow.register(RecordIndexOp(draft, indexer=service.draft_indexer))
    elif draft.review is not None:
        draft.review = request
        uow.register(RecordCommitOp(draft, indexer=service.draft_indexer))


def ask_for_changes(identity, request_id, comment, expand=False):
    """Ask for changes on a submission, saying what (REST API and queue page)."""
    return current_requests_service.execute_action(
        identity, request_id, "request_changes", comment=comment, expand=expand)


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


class LibraryRecordSchema(RDMRecordSchema):
    """RDM's record schema; a draft whose review awaits changes reads as editable.

    RDM knows no "changes requested" review: its draft status would fail. The
    deposit form enables "Submit for review" again for a draft with a review
    that is not yet (re)submitted.
    """

    status = fields.Method("dump_status", dump_only=True)

    def dump_status(self, obj):
        """The draft status, "…draft_with_review" while changes are requested."""
        first_version = obj.versions.index == 1
        review = obj.parent.review if first_version else getattr(obj, "review", None)
        if review is not None and review.status == CHANGES_REQUESTED and not obj.is_published:
            return "draft_with_review" if first_version else "new_version_draft_with_review"
        return obj.status


def changes_requested_on(identity, draft_id):
    """What the curators asked for on DRAFT_ID, if its submission awaits changes: the
    request's id and the newest comment of its discussion (sanitised HTML); else None.

    Read as IDENTITY (the depositor on the deposit form): nothing they may not see.
    """
    try:
        draft = current_rdm_records_service.read_draft(identity, draft_id)
    except Exception:  # not a draft, or not theirs: the form answers that itself
        return None
    review = draft._record.parent.review or draft._record.review
    if review is None or getattr(review, "status", None) != CHANGES_REQUESTED:
        return None
    events = current_events_service.search(
        identity, review.id, params={"sort": "newest", "size": 10})
    comment = next((hit["payload"]["content"] for hit in events.hits
                    if hit.get("type") == CommentEventType.type_id and hit.get("payload")), "")
    return {"request_id": str(review.id), "comment": Markup(comment)}


def draft_awaiting_changes(identity, request_id):
    """The draft id of submission REQUEST_ID when it awaits changes and IDENTITY sent it
    (the depositor, on the request's page); else None."""
    try:
        request = current_requests_service.read(identity, request_id).to_dict()
    except Exception:  # unknown or not theirs: the page answers that itself
        return None
    if request.get("status") != CHANGES_REQUESTED \
            or request.get("type") != LibrarySubmission.type_id:
        return None
    creator = (request.get("created_by") or {}).get("user")
    if creator is None or str(creator) != str(identity.id):
        return None
    return (request.get("topic") or {}).get("record")

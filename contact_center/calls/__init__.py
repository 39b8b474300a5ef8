"""Phone calls on tickets: the IVR, queueing and holding, voicemail, call status, connecting
agents, and callback tasks."""

from contact_center.calls.callbacks import (
    create_callback,
    finish_callback,
    get_callback,
    list_callbacks,
    request_dial,
)
from contact_center.calls.dialing import (
    CallControl,
    after_dial,
    client_identity,
    connect_call,
    place_callback,
)
from contact_center.calls.ending import record_status
from contact_center.calls.model import (
    Call,
    CallbackOutcome,
    CallbackReason,
    CallbackState,
    CallbackTask,
    CallState,
    Choice,
    Connect,
    HangUp,
    Hold,
    LeaveQueue,
    Menu,
    NextStep,
    Outcome,
    StatusReport,
    VoiceAnswer,
    Voicemail,
    VoiceOptions,
    Wait,
)
from contact_center.calls.options import voice_options
from contact_center.calls.service import call_responder, calls_for_ticket, choose_from_menu
from contact_center.calls.waiting import (
    after_queue,
    hold,
    record_transcription,
    record_voicemail,
)

__all__ = [
    "Call",
    "CallControl",
    "CallState",
    "CallbackOutcome",
    "CallbackReason",
    "CallbackState",
    "CallbackTask",
    "Choice",
    "Connect",
    "HangUp",
    "Hold",
    "LeaveQueue",
    "Menu",
    "NextStep",
    "Outcome",
    "StatusReport",
    "VoiceAnswer",
    "VoiceOptions",
    "Voicemail",
    "Wait",
    "after_dial",
    "after_queue",
    "call_responder",
    "calls_for_ticket",
    "choose_from_menu",
    "client_identity",
    "connect_call",
    "create_callback",
    "finish_callback",
    "get_callback",
    "hold",
    "list_callbacks",
    "place_callback",
    "record_status",
    "record_transcription",
    "record_voicemail",
    "request_dial",
    "voice_options",
]

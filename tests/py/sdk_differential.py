"""The official Python SDK (lark-oapi) reading larkhook's test callbacks.

Driven by tests/js/differential-cards.test.mjs: reads cases as JSON on stdin
and prints, per case, what the SDK made of the delivery (its status, its
answer, and the typed object its handler received, as JSON), and per
response body, what the SDK's response class makes of it. No assertion here:
the JavaScript test compares the SDK's view with larkhook's.
"""

import json
import sys

import lark_oapi as lark
from lark_oapi.card.action_handler import CardActionHandler
from lark_oapi.core.json import JSON
from lark_oapi.core.model import RawRequest
from lark_oapi.event.callback.model.p2_card_action_trigger import (
    P2CardActionTriggerResponse,
)


def plain(obj):
    """An SDK object as plain JSON data (its own encoder, None fields dropped)."""
    data = json.loads(JSON.marshal(obj))

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if v is not None and k != "raw"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(data)


def request(case):
    req = RawRequest()
    req.uri = "/callback"
    req.headers = dict(case["headers"])
    req.body = case["body"].encode("utf-8")
    return req


def run_event(case):
    seen = {}

    def on_card(data):
        seen["event"] = plain(data.event)
        seen["header"] = plain(data.header)
        return P2CardActionTriggerResponse(case.get("answer") or {})

    def on_approve(data):
        seen["event"] = plain(data.event)
        seen["header"] = plain(data.header)

    handler = (
        lark.EventDispatcherHandler.builder(case["encrypt_key"], case["verification_token"])
        .register_p2_card_action_trigger(on_card)
        .register_p2_helpdesk_notification_approve_v1(on_approve)
        .build()
    )
    resp = handler.do(request(case))
    return {"status": resp.status_code, "answer": (resp.content or b"").decode("utf-8"), **seen}


def run_legacy(case):
    seen = {}

    def on_card(card):
        seen["event"] = plain(card)
        return case.get("answer") or {}

    handler = CardActionHandler.builder(case["encrypt_key"], case["verification_token"]).register(on_card).build()
    resp = handler.do(request(case))
    return {"status": resp.status_code, "answer": (resp.content or b"").decode("utf-8"), **seen}


def main():
    cases = json.load(sys.stdin)
    out = {"deliveries": {}, "responses": []}
    for case in cases["deliveries"]:
        run = run_legacy if case["kind"] == "card_action" else run_event
        out["deliveries"][case["name"]] = run(case)
    for body in cases["responses"]:
        out["responses"].append(plain(P2CardActionTriggerResponse(body)))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()

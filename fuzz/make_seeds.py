#!/usr/bin/env python3
"""Writes fuzz/corpus/seed/ from tests/fixtures and tests/vectors.

Each seed is one control byte followed by a payload, the shape every target
reads (see the doc comment at the top of each fuzz_targets/*.rs):

- parse:     config byte, optional `name:value` header lines and an empty
             line, then the body;
- decrypt:   mode byte, then `key\\nencrypt`;
- typed:     selector byte (event type = byte % 3), then the event JSON;
- roundtrip: flag byte, then the event JSON;
- frame:     mode byte (even: one long-connection message; odd: fragments).

The same seed directory is copied into every target's corpus (run.sh); a
seed written for one target is just another input for the others.
Re-run after changing the fixtures: python3 fuzz/make_seeds.py
"""
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus" / "seed"
TOKEN = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV"

shutil.rmtree(OUT, ignore_errors=True)
OUT.mkdir(parents=True)


def write(name: str, control: int, payload: bytes) -> None:
    (OUT / name).write_bytes(bytes([control]) + payload)


fixtures = {p.stem: p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").glob("*.json"))}
types = ["helpdesk.ticket.created_v1", "helpdesk.ticket.updated_v1", "helpdesk.ticket_message.created_v1"]

for stem, raw in fixtures.items():
    doc = json.loads(raw)
    compact = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    # parse: as a plain body (no key; token only), and as the plaintext of a
    # signed / unsigned encrypted delivery with key 1 and token 1.
    write(f"parse-plain-{stem}", 0x00, raw)
    write(f"parse-plain-token-{stem}", 0x04, compact)
    write(f"parse-signed-plaintext-{stem}", 0x25, compact)
    write(f"parse-unsigned-plaintext-{stem}", 0x35, compact)
    # typed: the event object under its own type.
    write(f"typed-{stem}", types.index(doc["header"]["event_type"]),
          json.dumps(doc["event"], ensure_ascii=False).encode())
    # roundtrip: token + encrypt + sign, encrypt only, plain.
    write(f"roundtrip-signed-{stem}", 0x07, compact)
    write(f"roundtrip-encrypted-{stem}", 0x02, compact)
    write(f"roundtrip-plain-{stem}", 0x00, raw)

# The published ticket_message example is not valid JSON; a good seed for typed.
published = ROOT / "tests" / "fixtures" / "ticket_message_created_v1.published.txt"
if published.exists():
    write("typed-published-not-json", 2, published.read_bytes())

challenge = json.dumps({"challenge": "5634b122-c042-4634-bc7f-b07a3c3e77ad",
                        "token": TOKEN, "type": "url_verification"}, separators=(",", ":")).encode()
write("parse-unsigned-challenge", 0x35, challenge)
write("parse-plain-challenge", 0x04, challenge)
write("roundtrip-challenge", 0x03, json.dumps(
    {"challenge": "a\"b\\c</script>\u0001", "type": "url_verification"}).encode())
legacy = json.dumps({"uuid": "41b5f371157e3d5341b38b20396e77a3", "token": TOKEN,
                     "ts": "1502199207.7171419", "type": "event_callback",
                     "event": {"type": "approval_instance", "app_id": "cli_xxx",
                               "tenant_key": "236a40b8e3c36b6d"}}, separators=(",", ":")).encode()
write("parse-plain-legacy", 0x04, legacy)
write("roundtrip-legacy", 0x07, legacy)

for i, v in enumerate(json.loads((ROOT / "tests" / "vectors" / "vectors.json").read_text())):
    head = (f"X-Lark-Request-Timestamp:{v['timestamp']}\nX-Lark-Request-Nonce:{v['nonce']}\n"
            f"X-Lark-Signature:{v['signature']}\n@now:{v['timestamp']}\n\n")
    # Key 1 of the harness is the vectors' "lark-encrypt-key".
    write(f"parse-vector-{i}", 0x05, head.encode() + v["body"].encode())
    write(f"parse-vector-unsigned-{i}", 0x05, v["body"].encode())
    write(f"decrypt-vector-{i}", 0x00, v["key"].encode() + b"\n" + v["encrypt"].encode())

# frame: the long-connection frames protobufjs encoded (tests/vectors/frames.json),
# and one fragment sequence (control: id, sum, seq, length, time step).
for i, v in enumerate(json.loads((ROOT / "tests" / "vectors" / "frames.json").read_text())):
    write(f"frame-vector-{i}", 0x00, bytes.fromhex(v["bytes_hex"]))
write("frame-fragments", 0x01, bytes([1, 3, 2, 4, 1]) + b'"}}]' + bytes([1, 3, 0, 4, 1]) + b'[{"a' + bytes([1, 3, 1, 3, 1]) + b'":{')

write("decrypt-doc-sample", 0x00, b"test key\nP37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")
print(f"wrote {len(list(OUT.iterdir()))} seeds to {OUT.relative_to(ROOT)}")

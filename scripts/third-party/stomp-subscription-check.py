#!/usr/bin/env python3
# A STOMP 1.2 consumer with no library, as an MES without an AMQP or MQTT client would read a hub
# subscription queue (README "For MES teams"): it subscribes as the broker's mes user, acknowledges
# each event, and checks that every production-count total is the previous total plus its delta per
# machine, order and counter, remembering the last totals in a state file between runs, so that a
# consumer that goes away and comes back can show it missed nothing.
#   MILLWRIGHT_MES_PASSWORD=... scripts/third-party/stomp-subscription-check.py 61616 millwright.subscriptions.line-1-mes state.json 30
# Arguments: Artemis port, subscription queue, state file, seconds to read.
import socket, sys, os, json, time
deadline = time.time() + float(sys.argv[4])
port, queue = int(sys.argv[1]), sys.argv[2]; state_file = sys.argv[3]
last = json.load(open(state_file)) if os.path.exists(state_file) else {}
s = socket.create_connection(("127.0.0.1", port)); s.settimeout(4)
def send(f): s.sendall(f.encode() + b"\0")
send("CONNECT\naccept-version:1.2\nhost:localhost\nlogin:mes\npasscode:%s\n\n" % os.environ["MILLWRIGHT_MES_PASSWORD"])
buf = b""
def frame():
    global buf
    while b"\0" not in buf:
        c = s.recv(65536)
        if not c: raise EOFError
        buf += c
    f, buf = buf.split(b"\0", 1); buf = buf.lstrip(b"\n")
    h, _, body = f.partition(b"\n\n"); lines = h.decode().split("\n")
    return lines[0], dict(l.split(":", 1) for l in lines[1:] if ":" in l), body
frame()
send("SUBSCRIBE\nid:1\ndestination:%s\nsubscription-type:ANYCAST\nack:client-individual\n\n" % queue)
n = checks = gaps = 0
try:
    while time.time() < deadline:
        cmd, h, body = frame()
        ev = json.loads(body); n += 1
        if ev["type"].startswith("io.millwright.production-count"):
            d = ev["data"]; key = ev["subject"] + "|" + str(d.get("orderId")) + "|" + str(d.get("counter"))
            total, delta = d.get("total"), d.get("delta")
            if key in last and total is not None and delta is not None:
                checks += 1
                if last[key] + delta != total: gaps += 1; print("gap", key, last[key], delta, total)
            if total is not None: last[key] = total
        send("ACK\nid:%s\n\n" % h["ack"])
except (socket.timeout, EOFError):
    pass
send("DISCONNECT\n\n"); s.close()
json.dump(last, open(state_file, "w"))
print("events", n, "continuity checks", checks, "gaps", gaps)

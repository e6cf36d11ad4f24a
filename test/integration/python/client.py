"""Drives a Zen Flow server with Debian's python3-socketio AsyncClient, as a Python client would.

Prints one JSON object of observations on stdout; the integration test asserts on it.
"""
import asyncio
import json
import sys

import socketio


async def refused(url, auth):
    sio = socketio.AsyncClient(reconnection=False)
    errors = []
    sio.on("connect_error", lambda data: errors.append(data))
    try:
        await sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=5)
        await sio.disconnect()
        return None
    except socketio.exceptions.ConnectionError as exc:
        return {"exception": str(exc), "data": errors[0] if errors else None}


async def main(url, token):
    out = {}
    sio = socketio.AsyncClient(reconnection=False)
    statuses = asyncio.Queue()
    alerts = []
    sio.on("system:status", lambda data: statuses.put_nowait(data))
    sio.on("system:alert", lambda data: alerts.append(data))
    await sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    out["connected"] = sio.connected
    out["subscribe_ack"] = await sio.call("subscribe", {"channels": ["system", "swarms", "tasks"]}, timeout=5)
    out["status_after_subscribe"] = await asyncio.wait_for(statuses.get(), 5)
    out["status_get"] = await sio.call("system:status:get", timeout=5)
    out["bad_command"] = await sio.call("swarm:create", {"name": "", "topology": "blob", "agents": 0}, timeout=5)
    out["filtered_ack"] = await sio.call(
        "subscribe",
        {"categories": ["system"], "filters": {"system": {"severity": ["warning", "critical"]}}},
        timeout=5,
    )
    # A command without an ack still runs: unsubscribe, then prove it took effect.
    await sio.emit("unsubscribe", "swarms")
    out["state_after_emit"] = await sio.call("subscribe", "tasks", timeout=5)
    await sio.disconnect()
    out["refused_missing"] = await refused(url, None)
    out["refused_invalid"] = await refused(url, {"token": "garbage"})
    print(json.dumps(out))


asyncio.run(main(sys.argv[1], sys.argv[2]))

"""Connects Debian's python3-socketio AsyncClient to a Zen Flow server over TLS (docs/protocol.md §11).

Usage: tls_client.py URL TOKEN ca:/path/to/ca.pem | pin:AB:CD:…
With ca: the certificate chain is verified against that CA. With pin: exactly the certificate
with that SHA-256 fingerprint is accepted (aiohttp checks it before any request is sent), and
a second attempt with a wrong pin must be refused. Prints one JSON object of observations.
"""
import asyncio
import json
import ssl
import sys

import aiohttp
import socketio


def connector(trust):
    kind, _, value = trust.partition(":")
    if kind == "ca":
        return aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=value))
    if kind == "pin":
        return aiohttp.TCPConnector(ssl=aiohttp.Fingerprint(bytes.fromhex(value.replace(":", ""))))
    raise SystemExit("trust must be ca:FILE or pin:FINGERPRINT")


async def attempt(url, token, trust):
    session = aiohttp.ClientSession(connector=connector(trust))
    sio = socketio.AsyncClient(reconnection=False, http_session=session)
    try:
        await sio.connect(url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
        status = await sio.call("system:status:get", timeout=5)
        await sio.disconnect()
        return {"connected": True, "cpu": status["performance"]["cpu"]}
    except Exception as exc:  # the observation is the failure itself
        return {"connected": False, "error": f"{type(exc).__name__}: {exc}"}
    finally:
        await session.close()


async def main(url, token, trust):
    out = {"trusted": await attempt(url, token, trust)}
    if trust.startswith("pin:"):
        out["wrong_pin"] = await attempt(url, token, "pin:" + ":".join(["AA"] * 32))
    print(json.dumps(out))


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))

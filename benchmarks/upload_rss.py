"""What a large chunked upload costs `onrecord serve`: its resident memory.

Starts ``python -m onrecord serve`` on a free loopback port with a token, over a small
store, then streams a chunked POST /api/ingest of --mb megabytes twice, without and with
the token, and reads the server's resident set (VmRSS) and peak (VmHWM) from /proc after
start-up and after each upload. The client reads the answer while it sends, and stops at
the first answer or when the server closes the connection. Linux only; loopback only.

    python benchmarks/upload_rss.py --mb 200 --json runs/hardening/upload-rss.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOKEN = "benchmark-token-5c1e9a7d3b"
CHUNK = 64 * 1024


def memory(pid: int) -> dict[str, float]:
    """The process's VmRSS and VmHWM in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return {name: round(int(kb) / 1024, 1) for name, kb in found.items()}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def upload(port: int, auth: bool, total: int) -> dict:
    """Stream ``total`` bytes chunked; the status, the bytes sent, and the seconds taken."""
    chunk = b"%x\r\n%s\r\n" % (CHUNK, b" " * CHUNK)
    head = "POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += f"Authorization: Bearer {TOKEN}\r\n" if auth else ""
    head += "Transfer-Encoding: chunked\r\n\r\n"
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        sock.sendall(head.encode())
        sent, answer = send_watching(sock, chunk, total)
    match = re.match(rb"HTTP/1.1 (\d+)", answer)
    return {
        "status": int(match[1]) if match else None,
        "sent_mb": round(sent / 1024 / 1024, 1),
        "seconds": round(time.monotonic() - start, 2),
    }


def send_watching(sock: socket.socket, chunk: bytes, total: int) -> tuple[int, bytes]:
    """Send ``chunk`` until ``total`` body bytes (then the last chunk) are sent, reading any
    answer on the way; stop at the first answer or error. (body bytes sent, answer head)"""
    sent, answer, left = 0, b"", memoryview(b"")
    sock.setblocking(False)
    while True:
        try:
            answer += sock.recv(65536)
            if answer:
                break
        except BlockingIOError:
            pass
        except OSError:
            break
        if not left:
            left = memoryview(b"0\r\n\r\n") if sent >= total else memoryview(chunk)
        try:
            left = left[sock.send(left) :]
        except BlockingIOError:
            time.sleep(0.0005)
            continue
        except OSError:
            break
        if not left:
            if sent >= total:
                break  # the whole body is sent: wait for the answer
            sent += CHUNK
    sock.setblocking(True)
    try:
        while b"\r\n\r\n" not in answer:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    except OSError:
        pass
    return sent, answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="upload size in MB (MiB)")
    parser.add_argument("--repo", default=".", help="the checkout whose onrecord to serve")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    total = args.mb * 1024 * 1024
    repo = Path(args.repo).resolve()
    with tempfile.TemporaryDirectory(prefix="onrecord-rss-") as folder:
        db = str(Path(folder) / "served.sqlite")
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
        env.update(ONRECORD_TOKEN=TOKEN, PYTHONPATH=str(repo))
        server = subprocess.Popen(
            [sys.executable, "-m", "onrecord", "serve", "--db", db, "--port", str(port)],
            cwd=repo,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(1)
            results = {"upload_mb": args.mb, "started": memory(server.pid)}
            for name, auth in (("no_token", False), ("token", True)):
                results[name] = upload(port, auth, total)
                time.sleep(0.5)
                results[name] |= memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

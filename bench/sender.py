"""A sender in a process of its own: ``python -m bench.sender PORT PATH TOKEN``.

For the fan-out scenario, the process that reads a thousand WebSockets would
see the sender's acknowledgement late, behind the frames it is busy reading.
This one reads a message text per line on stdin, posts it, and writes back
``status t_send t_ack``: ``time.perf_counter`` readings, which on Linux are
CLOCK_MONOTONIC and so compare across processes on one machine.
"""

from __future__ import annotations

import json
import socket
import sys
import time


def main() -> None:
    port, path, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = sock.makefile("rb")
    for count, line in enumerate(sys.stdin):
        body = json.dumps({"client_id": f"fan-{count}", "text": line.strip()}).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        t_send = time.perf_counter()
        sock.sendall(head + body)
        status = int(reader.readline()[9:12])
        length = 0
        while (header := reader.readline()) not in (b"\r\n", b""):
            if header.lower().startswith(b"content-length:"):
                length = int(header.split(b":", 1)[1])
        reader.read(length)
        t_ack = time.perf_counter()
        sys.stdout.write(f"{status} {t_send} {t_ack}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

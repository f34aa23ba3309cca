"""The deployment bin/start gives holds against slow clients: connections that trickle their headers or
body a byte a second, or stop reading a long response, do not keep another client's reads waiting.

Loopback only; every loop below is bounded in time and the test stops its clients itself."""
import socket
import statistics
import threading
import time

import pytest

from tests.live_server import live_server

SLOW_CLIENTS = 64
MEASURE_SECONDS = 8
PROBE_TIMEOUT = 3.0  # a probe that waits this long counts as this long


def open_slow(url, head):
    """A connection that has sent `head` and reads almost nothing (a 4 KiB receive buffer)."""
    host, port = url.removeprefix("http://").split(":")
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.settimeout(5)
    connection.connect((host, int(port)))
    connection.sendall(head)
    return connection


def slow_clients(url, key, count):
    """A third trickle their headers, a third a JSON body, a third ask for /export and never read it."""
    auth = f"Authorization: {key['Authorization']}\r\n"
    heads = [
        b"GET /claims HTTP/1.1\r\nHost: x\r\nX-Trickle: ",
        (f"POST /speakers HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\n"
         "Content-Length: 100000\r\n\r\n{").encode(),
        b"GET /export HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    clients = [(open_slow(url, heads[n % 3]), n % 3 < 2) for n in range(count)]
    return clients


def trickle(clients, stop):
    """One byte a second on each trickling connection until `stop` (bounded by the test's own clock)."""
    deadline = time.monotonic() + MEASURE_SECONDS + 20
    while not stop.wait(1.0) and time.monotonic() < deadline:
        for connection, trickles in clients:
            if trickles:
                try:
                    connection.send(b"a")
                except OSError:  # the server gave up on it: that is allowed
                    pass


def answered_within(clients, seconds):
    """Wait, at most `seconds` in all, until every stalled reader has the first bytes of its answer."""
    deadline = time.monotonic() + seconds
    for connection, trickles in clients:
        if not trickles:
            connection.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                connection.recv(1, socket.MSG_PEEK)
            except TimeoutError:
                pass


def probe(url, path):
    """Milliseconds for one GET on a new connection, PROBE_TIMEOUT if it does not answer in time."""
    started = time.monotonic()
    try:
        connection = open_slow(url, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        connection.settimeout(PROBE_TIMEOUT)
        with connection:
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    except TimeoutError:
        return PROBE_TIMEOUT * 1000
    return (time.monotonic() - started) * 1000


def fill(server, editor):
    """One long source quoted by many claims: /export repeats the source on each line, so it runs to MBs."""
    sentences = " ".join(f"Exports of item {n} rose by {n % 90} percent in the year." for n in range(3500))
    status, _, source = server.request("POST", "/sources", {"title": "Long report", "text": sentences}, editor)
    assert status == 201, source
    for n in range(30):
        status, _, claim = server.request("POST", "/claims", {"text": f"Item {n} rose.", "appearance": {
            "source_id": source["id"], "sentence_index": n}}, editor)
        assert status == 201, claim
    return claim["id"]


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_slow_clients_do_not_hold_up_another_clients_reads(database, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'claimtrail.db'}" if database == "sqlite" else request.getfixturevalue("empty_pg_url")
    with live_server(url, workers=2, threads=4) as server:
        editor = server.key("editor")
        claim_id = fill(server, editor)
        stop = threading.Event()
        clients = slow_clients(server.url, editor, SLOW_CLIENTS)
        trickler = threading.Thread(target=trickle, args=(clients, stop), daemon=True)
        trickler.start()
        try:
            answered_within(clients, 10)  # each /export has begun its answer (its work is done), then it stalls
            time.sleep(1.5)  # and every trickler has sent a byte or more
            times, deadline = [], time.monotonic() + MEASURE_SECONDS
            while time.monotonic() < deadline and len(times) < 400:
                times.append(probe(server.url, f"/claims/{claim_id}"))
                time.sleep(0.02)
        finally:
            stop.set()
            trickler.join(5)
            for connection, _ in clients:
                connection.close()
        assert server.request("GET", "/health")[0] == 200
    p99 = statistics.quantiles(times, n=100)[98]
    print(f"{database}: {len(times)} reads beside {SLOW_CLIENTS} slow clients: "
          f"p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, max {max(times):.1f} ms")
    assert len(times) >= 50 and p99 < 200

"""The first minutes with `make run`: it says where the service, its docs and the console are and how to get a
key, once the server answers, and Ctrl-C stops it at once even while a browser holds connections."""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

from tests.live_server import ROOT, free_port, live_server

ROUNDS = 3  # the deadlock this guards against needs a signal to land inside a lock: one round can miss it


def held_connections(url):
    """What a browser leaves open: kept-alive connections that made requests, and speculative ones that
    have sent nothing yet."""
    host, port = url.removeprefix("http://").split(":")
    kept = []
    for _ in range(8):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/claims?limit=1")
        connection.getresponse().read()
        kept.append(connection)
    return kept + [socket.create_connection((host, int(port))) for _ in range(2)]


def wait_for(path, text, process, within=120):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        output = path.read_text()
        if text in output:
            return output
        assert process.poll() is None, output
        time.sleep(0.2)
    raise AssertionError(f"no {text!r} within {within} s:\n{path.read_text()}")


def test_ctrl_c_stops_the_server_within_seconds_while_connections_are_kept_alive(tmp_path):
    for round_ in range(ROUNDS):
        with live_server(f"sqlite:///{tmp_path / f'claimtrail-{round_}.db'}", workers=2, threads=4,
                         own_group=True) as server:
            held = held_connections(server.url)
            started = time.monotonic()
            server.interrupt()
            server.process.wait(timeout=60)
            took = time.monotonic() - started
            messages = [line["message"] for line in server.log_lines()]
            for connection in held:
                connection.close()
        assert not [m for m in messages if "SIGKILL" in m], messages
        assert took < 5, f"round {round_}: stopped after {took:.1f} s"
        assert server.process.returncode == 0


def test_make_run_announces_its_urls_and_a_key_command_that_works_once_it_is_up(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**{k: v for k, v in os.environ.items() if k not in ("PROMETHEUS_MULTIPROC_DIR", "MAKEFLAGS", "HOST")},
           "DATABASE_URL": f"sqlite:///{tmp_path / 'claimtrail.db'}", "LOAD_SEEDS": "0"}
    output_path = tmp_path / "make-run.out"
    with output_path.open("wb") as output:
        make = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=output, stderr=subprocess.STDOUT, process_group=0)
    try:
        said = wait_for(output_path, "Ctrl-C stops the server.", make)
        lines = said.splitlines()
        listening = next(i for i, line in enumerate(lines) if "Listening at" in line)
        up = next(i for i, line in enumerate(lines) if "Claimtrail is up" in line)
        assert up > listening
        assert not lines[up].startswith("{")  # stands apart from the JSON log lines
        banner = "\n".join(lines[up:])
        assert f"Claimtrail is up:  {url}\n" in banner + "\n"
        assert f"{url}/docs" in banner and f"{url}/console/" in banner
        [command] = re.findall(r"^\s+(\S*flask .* keys create .*)$", banner, re.MULTILINE)
        assert '--owner "Your Name" --role editor' in command
        made = subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
        secret = made.stdout.strip().splitlines()[-1]
        host, _, port_text = url.removeprefix("http://").partition(":")
        connection = http.client.HTTPConnection(host, int(port_text), timeout=10)
        connection.request("POST", "/speakers", json.dumps({"name": "Jane Doe"}),
                           {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
        assert connection.getresponse().status == 201
        connection.close()
        started = time.monotonic()
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C in the terminal `make run` runs in
        make.wait(timeout=60)
        assert time.monotonic() - started < 5
        assert "SIGKILL" not in output_path.read_text()
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()


def test_sigterm_still_lets_a_request_in_flight_finish_before_the_server_stops(tmp_path):
    """The quick stop is for Ctrl-C only: a container's SIGTERM still waits for requests being answered."""
    with live_server(f"sqlite:///{tmp_path / 'claimtrail.db'}", workers=1, threads=2) as server:
        key = server.key("editor")
        body = b'{"not": "a claim"}\n' * 200
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=30) as client:
            client.sendall(f"POST /import HTTP/1.1\r\nHost: {host}\r\nAuthorization: {key['Authorization']}\r\n"
                           f"Content-Type: application/x-ndjson\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                           + body[:len(body) // 2])
            time.sleep(0.5)  # the import has begun reading its body
            server.process.send_signal(signal.SIGTERM)
            time.sleep(1)
            assert server.process.poll() is None  # still waiting for the request in flight
            client.sendall(body[len(body) // 2:])
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        assert server.process.wait(timeout=30) == 0

"""Slow-client and large-body drill for the shipped serving setup (deploy/nginx.conf in front of
deploy/gunicorn.conf.py), on loopback only, bounded in connections and time.

    .venv/bin/python bench/drill_slow_clients.py        # needs nginx and openssl on PATH

Starts gunicorn with deploy/gunicorn.conf.py (1 process × 4 threads, a fresh SQLite database) and
nginx with deploy/nginx.conf (only ports, certificate and temp paths substituted; a throw-away
self-signed certificate). Then, against gunicorn directly and through nginx:
1. 10 connections send request headers one byte every second (slowloris), and a normal GET of the
   sign-in page is timed while they hang on;
2. an anonymous POST to /accounts/login/ and /api/v1/tokens/ announcing a 300 MB multipart body is
   sent (headers only): it must be refused with 413 without the body being sent or stored.
Exit 1 unless, through nginx, the normal request is answered within 2 s while the slow connections
hang, and both large bodies get 413. The direct-to-gunicorn figures show why the proxy is needed.
"""

import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import PYTHON, REPO, free_port, spawn, stop, wait_until  # noqa: E402

SLOW_CONNECTIONS = 10
HOLD_SECONDS = 12


def connect(port: int, tls: bool) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        sock = context.wrap_socket(sock, server_hostname="localhost")
    return sock


def slowloris(port: int, tls: bool, stop_at: float, opened: list) -> None:
    try:
        sock = connect(port, tls)
    except OSError:
        return
    opened.append(sock)
    head = b"GET /accounts/login/ HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * 200
    try:
        for byte in head:
            if time.monotonic() > stop_at:
                break
            sock.send(bytes([byte]))
            time.sleep(1)
    except OSError:
        pass  # the server gave up on us: what it should do


def timed_get(port: int, tls: bool, timeout: float = 15) -> tuple[float, str]:
    began = time.monotonic()
    try:
        sock = connect(port, tls)
        sock.settimeout(timeout)
        sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        status = sock.recv(64).split(b"\r\n", 1)[0].decode(errors="replace")
        sock.close()
    except OSError as exc:
        status = f"error: {exc}"
    return time.monotonic() - began, status


def large_post(port: int, tls: bool, path: str) -> tuple[str, float]:
    began = time.monotonic()
    sock = connect(port, tls)
    sock.settimeout(20)
    sock.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {300 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
        ).encode()
    )
    try:
        status = sock.recv(64).split(b"\r\n", 1)[0].decode(errors="replace")
    except OSError as exc:
        status = f"error: {exc}"
    sock.close()
    return status, time.monotonic() - began


def under_slow_clients(port: int, tls: bool) -> tuple[float, str, int]:
    stop_at = time.monotonic() + HOLD_SECONDS
    opened: list = []
    threads = [
        threading.Thread(target=slowloris, args=(port, tls, stop_at, opened), daemon=True)
        for _ in range(SLOW_CONNECTIONS)
    ]
    for t in threads:
        t.start()
    time.sleep(3)  # they are all mid-headers now
    elapsed, status = timed_get(port, tls)
    for t in threads:
        t.join(timeout=HOLD_SECONDS + 5)
    for sock in opened:
        try:
            sock.close()
        except OSError:
            pass
    return elapsed, status, len(opened)


def nginx_config(tmp: Path, http_port: int, https_port: int, app_port: int) -> Path:
    site = (REPO / "deploy" / "nginx.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/ssl/workbench/": f"{tmp}/",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx.conf no longer has {old!r}"
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    (tmp / "site.conf").write_text(site)
    main = tmp / "nginx-main.conf"
    main.write_text(f"""daemon off;
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    return main


def main() -> int:
    for tool in ("nginx", "openssl"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"{tool} is not installed (apt-get install nginx-light openssl)", file=sys.stderr)
            return 1
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    tmp = Path(tempfile.mkdtemp(prefix="workbench-slow-"))
    procs = []
    failures = []
    try:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(tmp / "privkey.pem"),
                "-out",
                str(tmp / "fullchain.pem"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        app_port, http_port, https_port = free_port(), free_port(), free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "workbench.settings.local",
            "DJANGO_DEBUG": "0",
            "WORKBENCH_VAR_DIR": str(tmp / "var"),
            "DATABASE_URL": f"sqlite:///{tmp / 'drill.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://",
            "WORKBENCH_TRUSTED_PROXIES": "127.0.0.1",
            "GUNICORN_BIND": f"127.0.0.1:{app_port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "4",
            "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "TMPDIR": str(tmp / "uploads"),
        }
        (tmp / "uploads").mkdir()
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=REPO, env=env, check=True, timeout=300
        )
        procs.append(
            spawn(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    "deploy/gunicorn.conf.py",
                    "workbench.wsgi",
                    "--access-logfile",
                    "/dev/null",
                ],
                env,
                tmp / "gunicorn.log",
            )
        )
        conf = nginx_config(tmp, http_port, https_port, app_port)
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / folder).mkdir()
        test = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp)], capture_output=True, text=True)
        if test.returncode:
            print(test.stderr, file=sys.stderr)
            return 1
        procs.append(spawn([nginx, "-c", str(conf), "-p", str(tmp)], env, tmp / "nginx.log"))
        wait_until(lambda: timed_get(app_port, False)[1].endswith("200 OK"), 60, "gunicorn")
        wait_until(lambda: timed_get(https_port, True)[1].endswith("200 OK"), 30, "nginx")

        print(
            f"Slow-client drill: {SLOW_CONNECTIONS} connections sending headers at 1 byte/s; "
            "gunicorn 1 process x 4 threads (deploy/gunicorn.conf.py)"
        )
        direct = under_slow_clients(app_port, False)
        print(f"  direct to gunicorn: a normal GET took {direct[0]:.1f} s ({direct[1]})")
        proxied = under_slow_clients(https_port, True)
        print(f"  through nginx:      a normal GET took {proxied[0]:.2f} s ({proxied[1]})")
        if not (proxied[0] < 2 and proxied[1].endswith("200 OK")):
            failures.append("through nginx the normal request was not answered within 2 s")
        for path in ("/accounts/login/", "/api/v1/tokens/"):
            for label, port, tls in (("gunicorn", app_port, False), ("nginx", https_port, True)):
                status, seconds = large_post(port, tls, path)
                print(f"  300 MB anonymous POST {path} to {label}: {status} in {seconds:.2f} s")
                if " 413 " not in f"{status} ":
                    failures.append(f"{label} {path}: {status}")
        leftovers = [p for p in (tmp / "uploads").iterdir()] + [p for p in (tmp / "body").iterdir()]
        print(f"  files spooled for those bodies: {len(leftovers)}")
        if leftovers:
            failures.append(f"bodies were written to disk: {leftovers}")
    finally:
        for proc in reversed(procs):
            stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

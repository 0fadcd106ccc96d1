#!/usr/bin/env python3
"""Serve ClickHouse's HTTP interface from libchdb.so (chDB, ClickHouse 26.7) for local development and CI.

Why this exists: the development and CI machines have no Docker engine, and Debian's `clickhouse-server`
package is version 18.16 (2018). ClickHouse.Driver cannot talk to it (it needs the
RowBinaryWithNamesAndTypes format and settings that server does not know). A current ClickHouse engine
is available from the npm registry as the chDB library (`@chdb/lib-linux-x64-gnu`), which embeds
clickhouse-local. clickhouse-local can run the real HTTP server: `SYSTEM START LISTEN HTTP` opens the
listener, and it stays open as long as the clickhouse-local invocation runs. So this host calls the
library's C entry point `chdb_query_cmdline(argc, argv)` with a query that never finishes in practice
(one row per second over a 10^11-row range, discarded), and the process then is a ClickHouse server.

It opens only the HTTP port (no native TCP, MySQL, PostgreSQL or interserver port: clickhouse-local does
not start those unless asked), so several instances with different DATA_DIR and port do not collide; two
on the same DATA_DIR do (ClickHouse locks DATA_DIR/status). Data survives a restart, even after kill -9.

Crashes: this embedded HTTP server can abort (SIGABRT in an HTTP connection thread) when a client sends
something that is not HTTP or resets the connection in the middle of the request headers (seen with a
Redis PING sent to the port: about once in a few tries; 30 aborted uploads and 30 aborted downloads did
not crash it). So the server runs in a child process, and this process, its supervisor, starts it again
when it dies of such a signal or of SIGKILL (the OOM killer), up to 10 times in 5 minutes; a server that
exits (e.g. its port is taken) is not retried. The child dies with the supervisor: kill -9 of this
process's pid takes ClickHouse down as a crash would.

Usage: clickhouse-host.py LIBCHDB_SO DATA_DIR HTTP_PORT [LISTEN_HOST]
Stop it with SIGTERM or SIGINT: it stops the server (within a second or two) and exits 0. It exits
non-zero if the server cannot start or stops by itself, with ClickHouse's message on stderr.
"""
import ctypes
import os
import signal
import sys
import time

# Keeps the HTTP listener alive: sleepEachRow(1) per 1-row block, i.e. one sleep of 1 s per row, for
# 10^11 rows (thousands of years). FORMAT Null discards the output.
KEEP_ALIVE_QUERY = (
    "SYSTEM START LISTEN HTTP; "
    "SELECT sleepEachRow(1) FROM numbers(100000000000) "
    "SETTINGS max_block_size = 1, function_sleep_max_microseconds_per_block = 0 FORMAT Null"
)
# Deaths after which the server is started again (SIGKILL: the OOM killer).
CRASH_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGKILL}
MAX_CRASHES, CRASH_WINDOW = 10, 300.0  # more crashes than this within the window (seconds): give up
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def log(message: str) -> None:
    print(f"clickhouse-host: {message}", file=sys.stderr, flush=True)


def usage(message: str) -> None:
    print(f"error: {message}\nusage: {os.path.basename(sys.argv[0])} LIBCHDB_SO DATA_DIR HTTP_PORT [LISTEN_HOST]",
          file=sys.stderr)
    sys.exit(2)


def serve(lib_path: str, data_dir: str, port: str, listen_host: str, sigint_ignored: bool) -> None:
    """The child: runs ClickHouse in this process until it stops; never returns."""
    # Die with the supervisor, whatever kills it (checked after the call: it may already be gone).
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(1)
    # The C call below never returns to Python, so Python-level handlers would never run: default actions.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN if sigint_ignored else signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    lib = ctypes.CDLL(os.path.abspath(lib_path))
    lib.chdb_query_cmdline.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    lib.chdb_query_cmdline.restype = ctypes.c_void_p
    lib.chdb_result_error.argtypes = [ctypes.c_void_p]
    lib.chdb_result_error.restype = ctypes.c_char_p
    args = [
        "clickhouse",
        f"--path={os.path.abspath(data_dir)}",
        f"--http_port={port}",
        f"--listen_host={listen_host}",
        "--multiquery",
        "--query", KEEP_ALIVE_QUERY,
    ]
    argv = (ctypes.c_char_p * len(args))(*(a.encode() for a in args))
    result = lib.chdb_query_cmdline(len(args), argv)  # returns only if the server stops or fails
    error = lib.chdb_result_error(result) if result else None
    # ClickHouse prints most failures (e.g. "Address already in use") to stderr itself, before returning.
    log(f"ClickHouse stopped: {error.decode(errors='replace') if error else 'see its messages above'}")
    sys.stderr.flush()
    os._exit(1)


def main() -> int:
    if len(sys.argv) not in (4, 5):
        usage("wrong number of arguments")
    lib_path, data_dir, port = sys.argv[1], sys.argv[2], sys.argv[3]
    listen_host = sys.argv[4] if len(sys.argv) == 5 else "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        usage(f"HTTP_PORT must be a TCP port number, not '{port}'")
    if not os.path.isfile(lib_path):
        usage(f"no such library: {lib_path}")
    os.makedirs(data_dir, exist_ok=True)
    # A background job of a script inherits SIGINT ignored; keep it so for the server too.
    sigint_ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN

    child = 0
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass  # it has just exited; the loop below sees `stopping`

    signal.signal(signal.SIGTERM, stop)
    if not sigint_ignored:
        signal.signal(signal.SIGINT, stop)

    crashes: list = []
    while not stopping:
        started = time.monotonic()
        log(f"serving HTTP on {listen_host}:{port}, data in {data_dir}")
        # Stop signals wait until the child's pid is known here (and its own handlers are set there).
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        child = os.fork()
        if child == 0:
            serve(lib_path, data_dir, port, listen_host, sigint_ignored)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        _, status = os.waitpid(child, 0)
        child = 0  # reaped: its pid may be reused, never signal it again
        uptime = time.monotonic() - started
        if stopping:
            return 0
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            now = time.monotonic()
            crashes = [t for t in crashes if now - t < CRASH_WINDOW] + [now]
            if sig in CRASH_SIGNALS and len(crashes) <= MAX_CRASHES:
                log(f"ClickHouse crashed ({signal.Signals(sig).name}) after {uptime:.0f} s; starting it again")
                time.sleep(0.5)
                continue
            log(f"ClickHouse was killed by {signal.Signals(sig).name} after {uptime:.0f} s")
            return 128 + sig
        return os.WEXITSTATUS(status) or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

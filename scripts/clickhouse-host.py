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
not start those unless asked), so several instances with different --path and port do not collide.
Data lives in DATA_DIR and survives a restart, including after kill -9 (MergeTree).

Usage: clickhouse-host.py LIBCHDB_SO DATA_DIR HTTP_PORT [LISTEN_HOST]
Stop it with SIGTERM (or SIGINT): it exits within a second or two, without a clean shutdown, which
MergeTree tolerates. It exits non-zero if the server stops or
cannot start (e.g. the port is taken), with ClickHouse's message on stderr.
"""
import ctypes
import os
import signal
import sys

# Keeps the HTTP listener alive: sleepEachRow(1) per 1-row block, i.e. one sleep of 1 s per row, for
# 10^11 rows (thousands of years). FORMAT Null discards the output.
KEEP_ALIVE_QUERY = (
    "SYSTEM START LISTEN HTTP; "
    "SELECT sleepEachRow(1) FROM numbers(100000000000) "
    "SETTINGS max_block_size = 1, function_sleep_max_microseconds_per_block = 0 FORMAT Null"
)


def usage(message: str) -> "None":
    print(f"error: {message}\nusage: {os.path.basename(sys.argv[0])} LIBCHDB_SO DATA_DIR HTTP_PORT [LISTEN_HOST]",
          file=sys.stderr)
    sys.exit(2)


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

    # The C call below does not return to Python, so Python-level signal handlers would never run: give
    # SIGINT (Ctrl-C) its default action back, so that it ends the process at once. An inherited "ignore"
    # (a background job of a script) is kept. SIGTERM already has its default action.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

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
    print(f"clickhouse-host: serving HTTP on {listen_host}:{port}, data in {data_dir}", file=sys.stderr, flush=True)

    result = lib.chdb_query_cmdline(len(args), argv)  # returns only if the server stops or fails
    error = lib.chdb_result_error(result) if result else None
    # ClickHouse prints most failures (e.g. "Address already in use") to stderr itself, before returning.
    reason = error.decode(errors="replace") if error else "see ClickHouse's messages above"
    print(f"clickhouse-host: ClickHouse stopped: {reason}", file=sys.stderr, flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())

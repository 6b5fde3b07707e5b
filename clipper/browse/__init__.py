"""`clipper browse`: the analysts' workspace, Datasette over clipper's database.

Reading is read-only (Datasette opens the file read-only for queries, arbitrary
SQL is off); the one way to write is the correction endpoint, which checks its
input and writes to the same table `clipper tone set` does. Open to this machine
only (127.0.0.1) by default; on any other address nobody sees anything without
logging in, with accounts whose password hashes come from the environment.
"""

from __future__ import annotations

import getpass
import ipaddress
from pathlib import Path

from clipper import store
from clipper.config import Settings
from clipper.errors import FatalError

HERE = Path(__file__).parent
SETTINGS = {
    "default_allow_sql": False, "allow_download": False, "suggest_facets": False,
    "default_page_size": 50, "max_returned_rows": 1000, "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 400, "truncate_cells_html": 140,
}


class LoginNeeded(FatalError):
    exit_code = 2


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def workspace(settings: Settings, db_path: Path, host: str, environ=None,
              output_dir: Path | None = None):
    """The Datasette application over the database (migrated first)."""
    import os

    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    from clipper.browse import metadata, plugin

    environ = os.environ if environ is None else environ
    require_login = not is_local(host)
    if require_login and not metadata.password_hashes(environ):
        raise LoginNeeded(f"--host {host}: other machines "
                          "need a login; set CLIPPER_BROWSE_PASSWORD_HASH_<USER> (make one with "
                          "`.venv/bin/datasette hash-password`), or keep --host 127.0.0.1")
    store.open_db(db_path).conn.close()  # migrations, the corrections table
    output_dir = output_dir or settings.base_dir / settings.digest.output_dir
    meta = metadata.build(settings, require_login, _local_user(), str(output_dir))
    if not pm.is_registered(plugin):
        pm.register(plugin, name="clipper-browse")
    ds = Datasette([], metadata=meta, settings=SETTINGS, template_dir=str(HERE / "templates"),
                   static_mounts=[("clipper-static", str(HERE / "static"))])
    ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name=metadata.DATABASE)
    return ds


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def serve(settings: Settings, db_path: Path, host: str, port: int,
          output_dir: Path | None = None) -> None:
    import asyncio

    import uvicorn

    ds = workspace(settings, db_path, host, output_dir=output_dir)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")

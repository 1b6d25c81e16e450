"""A real WordPress for tests: WordPress Playground's CLI (Node, PHP-wasm, SQLite) serving
Debian's WordPress core on a free 127.0.0.1 port, installed by tools/wordpress/setup.sh into
~/.cache/seo-fr (nothing in the repo), started from a fresh copy of the core per test session.

The blueprint sets WP_ENVIRONMENT_TYPE=local (Application Passwords without HTTPS), copies our
must-use plugin into wp-content/mu-plugins and creates two accounts with an Application
Password each: the administrator and a subscriber (who may not write posts).
"""
from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.processes import stop_process
from tests.redis_server import free_port

ROOT = Path(__file__).resolve().parent.parent
SETUP = ROOT / "tools" / "wordpress" / "setup.sh"
PLUGIN = ROOT / "integrations" / "wordpress" / "seo-fr-meta.php"
CREDENTIALS = "wp-content/seo-fr-test-credentials.json"

_ACCOUNTS_PHP = r"""<?php
require '/wordpress/wp-load.php';
$out = array();
list($admin_pw) = WP_Application_Passwords::create_new_application_password(1, array('name' => 'seo-fr-tests'));
$out['admin'] = array('user' => get_user_by('id', 1)->user_login, 'password' => $admin_pw);
$sub = wp_insert_user(array('user_login' => 'abonne', 'user_pass' => wp_generate_password(24),
                            'role' => 'subscriber', 'user_email' => 'abonne@example.org'));
list($sub_pw) = WP_Application_Passwords::create_new_application_password($sub, array('name' => 'seo-fr-tests'));
$out['subscriber'] = array('user' => 'abonne', 'password' => $sub_pw);
file_put_contents('/wordpress/%s', json_encode($out));
""" % CREDENTIALS


def install() -> tuple[str, str]:
    """(CLI path, WordPress core folder), installing them on first use (see setup.sh)."""
    proc = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"tools/wordpress/setup.sh failed:\n{proc.stderr[-3000:]}")
    cli, core = proc.stdout.strip().splitlines()[-2:]
    return cli, core


class WordPressServer:
    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="seo-wp-"))
        self.site = self.dir / "wordpress"
        self.log_path = self.dir / "playground.log"
        self.proc: subprocess.Popen | None = None
        self.accounts: dict[str, dict[str, str]] = {}
        self.started_in = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 600) -> "WordPressServer":
        t0 = time.monotonic()
        cli, core = install()
        shutil.copytree(core, self.site, symlinks=True)
        blueprint = {"steps": [
            # local: Application Passwords without HTTPS; no cron: no loopback request per page load
            {"step": "defineWpConfigConsts", "consts": {"WP_ENVIRONMENT_TYPE": "local", "WP_DEBUG": False,
                                                        "DISABLE_WP_CRON": True}},
            {"step": "writeFile", "path": "/wordpress/wp-content/mu-plugins/seo-fr-meta.php",
             "data": PLUGIN.read_text(encoding="utf-8")},
            {"step": "runPHP", "code": _ACCOUNTS_PHP},
        ]}
        bp = self.dir / "blueprint.json"
        bp.write_text(json.dumps(blueprint), encoding="utf-8")
        self.proc = subprocess.Popen(
            [cli, "server", "--port", str(self.port), "--php", "8.1",
             "--wordpress-install-mode=install-from-existing-files",
             "--mount-before-install", f"{self.site}:/wordpress", "--blueprint", str(bp)],
            cwd=self.dir, stdout=open(self.log_path, "wb"), stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_OPTIONS": ""}, start_new_session=True)
        creds = self.site / CREDENTIALS
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"WordPress Playground exited:\n{self.output()[-3000:]}")
            if creds.exists() and self._answers():
                self.accounts = json.loads(creds.read_text())
                self.started_in = time.monotonic() - t0
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"WordPress Playground not ready in {timeout:.0f} s:\n{self.output()[-3000:]}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/wp-json/", timeout=30) as r:
                return r.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        stop_process(self.proc, grace=10)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- reading WordPress back, as an editor would see it -----------------------------------
    def rest(self, method: str, path: str, body: dict | None = None, account: str = "admin"):
        acc = self.accounts[account]
        auth = base64.b64encode(f"{acc['user']}:{acc['password']}".encode()).decode()
        req = urllib.request.Request(self.url + "/wp-json/wp/v2" + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Basic {auth}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def posts(self, search: str = "") -> list[dict]:
        from urllib.parse import quote

        return self.rest("GET", f"/posts?context=edit&per_page=100&status=draft,pending,private,publish,future"
                                f"&search={quote(search)}")

    def post(self, post_id: int) -> dict:
        return self.rest("GET", f"/posts/{int(post_id)}?context=edit")

    def tag_names(self, ids: list[int]) -> list[str]:
        if not ids:
            return []
        tags = self.rest("GET", f"/tags?per_page=100&include={','.join(map(str, ids))}")
        by_id = {t["id"]: t["name"] for t in tags}
        return [by_id[i] for i in ids]

    @contextlib.contextmanager
    def without_plugin(self):
        """The site as most sites are: no seo-fr-meta.php (WordPress then drops the SEO meta)."""
        plugin = self.site / "wp-content" / "mu-plugins" / "seo-fr-meta.php"
        aside = self.dir / "seo-fr-meta.php.off"
        plugin.rename(aside)
        try:
            yield
        finally:
            aside.rename(plugin)

    # --- seeding and forging, for the internal-links tests ------------------------------------
    def create_post(self, title: str, *, status: str = "publish", content: str = "", date: str | None = None) -> dict:
        body = {"title": title, "status": status, "content": content or f"<p>{title}</p>"}
        if date:
            body["date"] = date
        return self.rest("POST", "/posts", body)

    @contextlib.contextmanager
    def forged_search_results(self, items: list[dict]):
        """A test must-use plugin that appends `items` to every post search the REST API answers:
        what a compromised plugin or a proxy could make the site return."""
        path = self.site / "wp-content" / "mu-plugins" / "seo-fr-test-forge.php"
        path.write_text(_FORGE_PHP % json.dumps(json.dumps(items)), encoding="utf-8")
        try:
            yield
        finally:
            path.unlink(missing_ok=True)


_FORGE_PHP = r"""<?php
add_filter('rest_post_dispatch', function ($response, $server, $request) {
    if ($request->get_route() !== '/wp/v2/posts' || $request->get_method() !== 'GET' || !$request->get_param('search')) {
        return $response;
    }
    $data = $response->get_data();
    foreach (json_decode(%s, true) as $item) {
        $data[] = $item;
    }
    $response->set_data($data);
    return $response;
}, 20, 3);
"""

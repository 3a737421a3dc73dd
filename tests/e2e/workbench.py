#!/usr/bin/env python3
"""The workbench page end to end in headless Chromium (issue 6), over W3C WebDriver (chromedriver),
with the standard library only.

Starts `leadmatch serve` on a free loopback port in an empty directory (built-in catalogue,
in-memory index), opens the page, types 电竞 in the search box and waits for the esports hit,
scores a company and waits for the verdict, uploads a CSV and checks the downloaded ranked file,
checks the phone layout and the English switch, and saves screenshots in --out.
Prints `N passed, 0 failed` on success; exits non-zero on the first failure.
"""

import argparse
import base64
import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ESPORTS_NAME = "温州某电竞科技有限公司"
ESPORTS_SCOPE = "电子竞技赛事组织策划；网络游戏开发；电竞场馆运营；体育用品销售"
LIST_CSV = (
    "企业名称,经营范围,联系人\n"
    "温州某电竞科技有限公司,电子竞技赛事组织策划；电竞场馆运营,张三\n"
    "某房地产开发有限公司,房地产开发经营；物业管理,李四\n"
    "温州跨境电商有限公司,跨境电子商务平台运营；海外仓,王五\n"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {url}: HTTP {e.code}: {e.read()[:500]!r}") from None


def wait_for(what, fn, timeout=20.0):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception as e:  # noqa: BLE001 - retried until the deadline
            last = e
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} (last error: {last})")


class Browser:
    def __init__(self, driver_url, chrome, downloads, profile):
        self.base = driver_url
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chrome,
                        "args": [
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--disable-dev-shm-usage",
                            "--window-size=1280,1900",
                            f"--user-data-dir={profile}",
                        ],
                        "prefs": {
                            "download.default_directory": downloads,
                            "download.prompt_for_download": False,
                        },
                    },
                }
            }
        }
        self.session = http("POST", f"{self.base}/session", caps)["value"]["sessionId"]
        self.cmd("POST", "/goog/cdp/execute",
                 {"cmd": "Browser.setDownloadBehavior",
                  "params": {"behavior": "allow", "downloadPath": downloads}})

    def cmd(self, method, path, body=None):
        if body is None and method == "POST":
            body = {}
        return http(method, f"{self.base}/session/{self.session}{path}", body)["value"]

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def find_all(self, css):
        return [e[ELEMENT] for e in self.cmd("POST", "/elements", {"using": "css selector", "value": css})]

    def type(self, css, text):
        self.cmd("POST", f"/element/{self.find(css)}/value", {"text": text})

    def click(self, css):
        self.cmd("POST", f"/element/{self.find(css)}/click")

    def text(self, css):
        return self.cmd("GET", f"/element/{self.find(css)}/text")

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def resize(self, width, height):
        self.cmd("POST", "/window/rect", {"width": width, "height": height})

    def quit(self):
        try:
            http("DELETE", f"{self.base}/session/{self.session}", timeout=10)
        except Exception:  # noqa: BLE001 - best effort
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--chrome", required=True)
    ap.add_argument("--driver", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="leadmatch-e2e-")
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    started = []
    passed = 0
    browser = None
    try:
        port = free_port()
        server = subprocess.Popen(
            [os.path.abspath(a.bin), "serve", "--addr", f"127.0.0.1:{port}"],
            cwd=work, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "wb"))
        started.append(server)
        base = f"http://127.0.0.1:{port}"

        def healthy():
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                return r.read() == b"ok"
        wait_for("the server", healthy, timeout=60)

        dport = free_port()
        driver = subprocess.Popen([a.driver, f"--port={dport}"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        started.append(driver)
        driver_url = f"http://127.0.0.1:{dport}"
        wait_for("chromedriver", lambda: http("GET", driver_url + "/status", timeout=2)["value"]["ready"])
        browser = Browser(driver_url, a.chrome, downloads, os.path.join(work, "profile"))

        # 1. The page, Chinese first.
        browser.go(base + "/")
        assert "检索目录" in browser.text("#h-search"), "Chinese heading"
        passed += 1

        # 2. Search as you type.
        browser.type("#q", "电竞")
        wait_for("an esports hit", lambda: "电子竞技" in browser.text("#hits"))
        first = browser.text("#hits li")
        assert "泛娱乐" in first, first
        passed += 1

        # 3. Score a company.
        browser.type("#f-name", ESPORTS_NAME)
        browser.type("#f-scope", ESPORTS_SCOPE)
        browser.click("#score-btn")
        verdict = wait_for("a verdict", lambda: browser.text("#verdict"))
        assert "重点目标" in verdict, verdict
        marks = browser.js("return [...document.querySelectorAll('#scope-marked mark')].map(m => m.textContent)")
        assert marks and any("电竞" in m or "电子竞技" in m for m in marks), marks
        assert "市委宣传部" in browser.text("#score-result"), "lead unit shown"
        passed += 1

        # 4. Upload a list, get the ranked file.
        upload = os.path.join(work, "企业名单.csv")
        with open(upload, "w", encoding="utf-8") as f:
            f.write(LIST_CSV)
        browser.type("#f-file", upload)
        browser.click("#rank-btn")
        wait_for("the screening report", lambda: browser.find_all("#report-table"))

        def downloaded():
            done = [n for n in os.listdir(downloads) if n.endswith(".csv")]
            return done and os.path.join(downloads, done[0])
        path = wait_for("the download", downloaded)
        with open(path, encoding="utf-8-sig") as f:
            rows = list(csv.reader(io.StringIO(f.read())))
        header, data = rows[0], rows[1:]
        assert header[:3] == ["企业名称", "经营范围", "联系人"], header
        assert len(data) == 3, data
        verdict_col = header.index("判定")
        assert data[0][0] == ESPORTS_NAME and data[0][verdict_col] == "重点目标", data[0]
        assert os.path.basename(path).endswith("-ranked.csv"), path
        report = browser.text("#report-table")
        assert "3" in report, report
        passed += 1

        browser.js("window.scrollTo(0, 0)")
        browser.screenshot(os.path.join(a.out, "workbench.png"))
        # The whole page at 60 %, small enough for the README (docs/workbench.png).
        browser.resize(1100, 1400)
        height = browser.js("return document.documentElement.scrollHeight")
        shot = browser.cmd("POST", "/goog/cdp/execute", {"cmd": "Page.captureScreenshot", "params": {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": 1100, "height": height, "scale": 0.6}}})
        with open(os.path.join(a.out, "workbench-full.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))

        # 5. A phone: no sideways scrolling.
        browser.resize(390, 1600)
        width = browser.js("return document.documentElement.scrollWidth")
        inner = browser.js("return window.innerWidth")
        assert width <= inner + 1, f"page {width}px wide in a {inner}px window"
        browser.screenshot(os.path.join(a.out, "workbench-phone.png"))
        passed += 1

        # 6. The English switch.
        browser.resize(1280, 1900)
        browser.click("#lang")
        assert browser.js("return document.documentElement.lang") == "en"
        heading = browser.text("#h-search")
        assert heading.strip() == "Search catalogue", heading
        passed += 1

        print(f"e2e: screenshots in {a.out}/: workbench.png, workbench-full.png, workbench-phone.png")
        print(f"{passed} passed, 0 failed")
        return 0
    except Exception as e:  # noqa: BLE001 - report, keep the log
        print(f"e2e FAILED after {passed} step(s): {e}", file=sys.stderr)
        log = os.path.join(work, "serve.log")
        if os.path.exists(log):
            sys.stderr.write(open(log, encoding="utf-8", errors="replace").read()[-2000:])
        if browser:
            try:
                browser.screenshot(os.path.join(a.out, "failure.png"))
            except Exception:  # noqa: BLE001
                pass
        print(f"{passed} passed, 1 failed")
        return 1
    finally:
        if browser:
            browser.quit()
        for p in reversed(started):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The workbench page end to end in headless Chromium (issues 6 and 17), over W3C WebDriver
(chromedriver), with the standard library only.

Starts `leadmatch serve` on a free loopback port in an empty directory (built-in catalogue,
in-memory index), opens the page, types 电竞 in the search box and waits for the esports hit,
scores a company (simplified, then traditional: the evidence is marked in both), uploads a list and
checks the ranked table (priority order), filters it by lead unit and checks that the download
holds exactly the filtered rows, opens the routing report (also at 390 px), checks that a failed
upload clears the old table and that an oversized file is refused before upload, switches to
English (names, flags, filters) and checks the phone layout, saving screenshots in --out.
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
    "企业名称,经营范围,联系人,统一社会信用代码\n"
    "温州某电竞科技有限公司,电子竞技赛事组织策划；电竞场馆运营,张三,\n"
    "某房地产开发有限公司,房地产开发经营；物业管理,李四,\n"
    "温州跨境电商有限公司,跨境电子商务平台运营；海外仓,王五,91330300MA2AAAAAA0\n"
    "温州瓯江再制造有限公司,汽车零部件再制造；工程机械再制造,赵六,\n"
    "温州星河电竞俱乐部有限公司,电竞俱乐部运营；电子竞技赛事承办,钱七,\n"
    "温州某跨境贸易有限公司,跨境电商；进出口代理,孙八,\n"
    "温州智造云科技有限公司,工业互联网平台；智能制造系统集成,周九,\n"
)
TRAD_NAME = "溫州星河電競娛樂有限公司"
TRAD_SCOPE = "經營電子競技俱樂部與職業戰隊，承辦電競賽事、直播與選手經紀"


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

    def select(self, css, value):
        self.js("const e = document.querySelector(arguments[0]); e.value = arguments[1];"
                "e.dispatchEvent(new Event('change'));", css, value)

    def handles(self):
        return self.cmd("GET", "/window/handles")

    def switch(self, handle):
        self.cmd("POST", "/window", {"handle": handle})

    def close_window(self):
        self.cmd("DELETE", "/window")

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

        # 4. A traditional scope: the simplified evidence is marked in the original text.
        browser.js("document.getElementById('f-name').value = ''; document.getElementById('f-scope').value = ''")
        browser.type("#f-name", TRAD_NAME)
        browser.type("#f-scope", TRAD_SCOPE)
        browser.click("#score-btn")
        # Wait for the new result's marks (the previous company's marks stay until it arrives).
        def trad_marks():
            ms = browser.js("return [...document.querySelectorAll('#scope-marked mark')].map(m => m.textContent)")
            return ms if any(m in ("電子競技", "電競") for m in ms or []) else None
        marks = wait_for("traditional marks", trad_marks)
        assert any(m in ("電子競技", "電競") for m in marks), marks
        passed += 1

        # 5. Upload a list: the ranked table, best first.
        upload = os.path.join(work, "企业名单.csv")
        with open(upload, "w", encoding="utf-8") as f:
            f.write(LIST_CSV)
        browser.type("#f-file", upload)
        browser.click("#rank-btn")
        wait_for("the ranked table", lambda: len(browser.find_all("#list-table tbody tr")) == 7)
        assert "7" in browser.text("#report-table")
        prios = browser.js("return [...document.querySelectorAll('#list-table tbody tr')]"
                           ".map(r => r.cells[4].textContent)")
        scores = [int(p.split()[-1]) if p.strip() else 0 for p in prios]
        assert scores == sorted(scores, reverse=True), prios
        first = browser.text("#list-table tbody tr")
        assert "重点目标" in first, first
        assert "信用代码无效" in browser.text("#list-table"), "flags as words"
        passed += 1

        # 6. Filter by lead unit; the download holds exactly the filtered rows.
        units = browser.js("return [...document.querySelectorAll('#flt-unit option')].map(o => o.value).filter(v => v)")
        assert len(units) >= 2, units
        unit = units[0]
        browser.select("#flt-unit", unit)
        wait_for("the filtered table", lambda: browser.js(
            "const r = [...document.querySelectorAll('#list-table tbody tr')];"
            "return r.length > 0 && r.every(x => x.dataset.unit === arguments[0])", unit))
        shown = sorted(int(r) for r in browser.js(
            "return [...document.querySelectorAll('#list-table tbody tr')].map(r => r.dataset.row)"))
        assert len(shown) < 7, shown
        browser.select("#dl-format", "csv")
        browser.click("#dl-filtered")

        def downloaded():
            done = [n for n in os.listdir(downloads) if n.endswith(".csv")]
            return done and os.path.join(downloads, done[0])
        path = wait_for("the download", downloaded)
        with open(path, encoding="utf-8-sig") as f:
            rows = list(csv.reader(io.StringIO(f.read())))
        header, data = rows[0], rows[1:]
        assert header[:3] == ["企业名称", "经营范围", "联系人"], header
        row_col = header.index("行号")
        unit_col = header.index("牵头单位")
        assert sorted(int(r[row_col]) for r in data) == shown, (data, shown)
        assert all(r[unit_col].startswith(unit) for r in data), data
        assert os.path.basename(path).endswith("-ranked.csv"), path
        passed += 1

        browser.js("window.scrollTo(0, document.getElementById('h-rank').offsetTop - 10)")
        browser.screenshot(os.path.join(a.out, "workbench.png"))

        # 7. The routing report opens in a new tab, legible at phone width.
        before = set(browser.handles())
        browser.click("#open-report")
        new = wait_for("the report tab", lambda: list(set(browser.handles()) - before))
        main_handle = list(before)[0]
        browser.switch(new[0])
        wait_for("the report", lambda: "牵头单位" in browser.js("return document.body ? document.body.innerText : ''"))
        browser.resize(390, 1600)
        width = browser.js("return document.documentElement.scrollWidth")
        inner = browser.js("return window.innerWidth")
        assert width <= inner + 1, f"report {width}px wide in a {inner}px window"
        browser.screenshot(os.path.join(a.out, "report-phone.png"))
        browser.resize(1280, 1900)
        browser.close_window()
        browser.switch(main_handle)
        passed += 1

        # 8. A failed upload clears the old table and says what to do, without command-line flags.
        bad = os.path.join(work, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("foo,bar\n1,2\n")
        browser.type("#f-file", bad)
        browser.click("#rank-btn")
        msg = wait_for("the error", lambda: browser.js(
            "const s = document.getElementById('rank-status');"
            "return s.classList.contains('error') ? s.textContent : ''"))
        assert "企业名称" in msg and "--" not in msg, msg
        assert browser.js("return document.getElementById('list').hidden"), "old list hidden"
        assert not browser.find_all("#list-table tbody tr"), "old rows gone"
        assert not browser.find_all("#report-table"), "old summary gone"
        # A file over the limit is refused before it is sent, stating the limit.
        huge = os.path.join(work, "huge.csv")
        with open(huge, "wb") as f:
            f.truncate(33 * 1024 * 1024)
        browser.type("#f-file", huge)
        browser.click("#rank-btn")
        msg = wait_for("the size error", lambda: browser.js(
            "const s = document.getElementById('rank-status');"
            "return s.classList.contains('error') ? s.textContent : ''"))
        assert "32 MiB" in msg, msg
        passed += 1

        # 9. English throughout: headings, sector names, flags, filters.
        browser.click("#lang")
        assert browser.js("return document.documentElement.lang") == "en"
        heading = browser.text("#h-search")
        assert heading.strip() == "Search catalogue", heading
        browser.type("#f-file", upload)
        browser.click("#rank-btn")
        wait_for("the ranked table again", lambda: len(browser.find_all("#list-table tbody tr")) == 7)
        table = browser.text("#list-table")
        assert "invalid credit code" in table and "信用代码无效" not in table, table
        sectors = browser.js("return [...document.querySelectorAll('#list-table tbody tr')].map(r => r.cells[5].innerText)")
        assert all(not any('\u4e00' <= c <= '\u9fff' for c in s) for s in sectors), sectors
        opts = browser.text("#flt-sector")
        assert "All sectors" in opts and "产业" not in opts, opts
        passed += 1

        # 10. A phone: no sideways scrolling of the page (the table scrolls in its own box).
        browser.resize(390, 1600)
        width = browser.js("return document.documentElement.scrollWidth")
        inner = browser.js("return window.innerWidth")
        assert width <= inner + 1, f"page {width}px wide in a {inner}px window"
        browser.js("window.scrollTo(0, document.getElementById('h-rank').offsetTop - 10)")
        browser.screenshot(os.path.join(a.out, "workbench-phone.png"))
        browser.click("#lang")
        browser.resize(1280, 1900)
        passed += 1

        print(f"e2e: screenshots in {a.out}/: workbench.png, report-phone.png, workbench-phone.png")
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

"""troth benchmarks: interleaved runs, medians, p95 and ratios against a
baseline measured in the same run. Peak memory and CPU come from wait4's
rusage of each child. Nothing here is a pass/fail test: it prints figures."""
import os
import signal
import statistics
import subprocess
import sys
import time

troth, work, ledgers, demo_key = sys.argv[1:5]
quick = "--quick" in sys.argv
RUNS = 10 if quick else 30
NOW = "2026-11-23T18:00:00+01:00"
BASE_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work, "TZ": "Europe/Berlin",
            "TROTH_NOW": NOW, "NO_COLOR": "1"}


def env(db, **extra):
    e = dict(BASE_ENV, TROTH_DB=db)
    e.update(extra)
    return e


def run_once(cmd, e):
    """Wall time (s), peak RSS (KiB), CPU (s) of one run."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read().decode()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {cmd}\n{err}")
    return wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def bench(cases):
    """cases: {name: (cmd, env)}; runs interleaved, RUNS rounds."""
    res = {n: [] for n in cases}
    mem = {n: 0 for n in cases}
    for name, (cmd, e) in cases.items():  # warm-up
        run_once(cmd, e)
    for _ in range(RUNS):
        for name, (cmd, e) in cases.items():
            w, rss, _ = run_once(cmd, e)
            res[name].append(w)
            mem[name] = max(mem[name], rss)
    return {n: (statistics.median(v), p95(v), mem[n]) for n, v in res.items()}


def show(title, results, baseline, goal, bar, own=None):
    """own: {name: (goal, bar)} for a row measured against other goals."""
    print(f"\n## {title}")
    base = results[baseline][0]
    for name, (med, hi, rss) in results.items():
        ratio = med / base
        mark = ""
        if name != baseline:
            g, b = (own or {}).get(name, (goal, bar))
            mark = "  goal met" if ratio <= g else ("  within bar" if ratio <= b else "  OVER BAR")
        print(f"  {name:<44} median {med * 1000:7.1f} ms  p95 {hi * 1000:7.1f} ms  ratio {ratio:5.2f}x{mark}")
    return results


def sh(cmd, e):
    subprocess.run(cmd, env=e, check=True, stdout=subprocess.DEVNULL)


print(f"troth benchmarks · {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · {RUNS} interleaved runs each")

# 1. kept against a bare SQLite insert into a table of the same shape.
empty = f"{work}/empty.db"
sh([troth, "promise", "Walk together", "--slug", "walk", "--starts", "2026-01-01"], env(empty))
raw = f"{work}/raw.db"
subprocess.run(["sqlite3", raw, "PRAGMA journal_mode=WAL;",
                "CREATE TABLE entries (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, agreement_id INTEGER NOT NULL,"
                " outcome TEXT NOT NULL, at INTEGER NOT NULL, note TEXT, logged_by TEXT NOT NULL, logged_at INTEGER NOT NULL) STRICT;"],
               check=True, stdout=subprocess.DEVNULL)
insert = ("PRAGMA synchronous=FULL; INSERT INTO entries (uuid, agreement_id, outcome, at, note, logged_by, logged_at) "
          "VALUES (lower(hex(randomblob(18))), 1, 'kept', unixepoch(), NULL, 'me', unixepoch());")
r1 = bench({"sqlite3 insert (WAL, synchronous=FULL)": (["sqlite3", raw, insert], BASE_ENV),
            "troth kept walk": ([troth, "kept", "walk"], env(empty))})
show("1. troth kept against sqlite3 insert (goal ≤ 1.2×, bar 1.5×)", r1, "sqlite3 insert (WAL, synchronous=FULL)", 1.2, 1.5)

# Ledgers from the demo generator: made once per version of the generator
# (target/bench-ledgers), copied fresh into this run, and opened once before
# measuring (an older schema is upgraded then, not in a measured run).
import shutil
years = [1, 3, 10] if not quick else [1, 3]
big = {}
for y in years:
    kept_copy = f"{ledgers}/y{y}-{demo_key}.db"
    if not os.path.exists(kept_copy):
        print(f"  (making the {y}-year demo ledger once: {kept_copy})")
        sh([troth, "demo", "--db", kept_copy, "--agreements", "50", "--years", str(y)], env(kept_copy))
    db = f"{work}/y{y}.db"
    shutil.copyfile(kept_copy, db)
    os.chmod(db, 0o600)
    sh([troth, "list"], env(db))
    big[y] = db
top = big[max(years)]
print(f"  (goals below are measured at {max(years)} years{'; --quick stops at 3, run without it for 10' if quick else ''})")

# 2. kept on a long history against kept on an empty ledger.
r2 = bench({"troth kept (empty ledger)": ([troth, "kept", "walk"], env(empty)),
            f"troth kept ({max(years)}-year ledger)": ([troth, "kept", "promise-4"], env(top))})
show("2. kept on a long ledger against an empty one (goal ≤ 1.05×, bar 1.1×)", r2, "troth kept (empty ledger)", 1.05, 1.1)

# 3. reading ten years against reading every entry once with sqlite3.
entries = f"sqlite3 -csv (select * from entries)"
r3 = bench({entries: (["sqlite3", "-csv", top, "select * from entries"], BASE_ENV),
            "report --format json": ([troth, "report", "--format", "json"], env(top)),
            "trend --weeks 52 --json": ([troth, "trend", "--weeks", "52", "--json"], env(top)),
            "overpromising --json": ([troth, "overpromising", "--json"], env(top))})
show(f"3a. {max(years)} years, 50 promises: summaries (goal ≤ 1×, bar 3×)", r3, entries, 1.0, 3.0)
r3b = bench({entries: (["sqlite3", "-csv", top, "select * from entries"], BASE_ENV),
             # The warm-up run fills list's cache (docs/design.md §7); cold is a full fold.
             "list --json (warm cache)": ([troth, "list", "--json"], env(top)),
             # Cold is every promise folded from its whole history: the
             # summaries' work, so it is held to their goal (≤ 1×, bar 3×).
             "list --json (cold, TROTH_NO_CACHE=1; goal ≤ 1×)": ([troth, "list", "--json"],
                                                                 env(top, TROTH_NO_CACHE="1")),
             "due --json": ([troth, "due", "--json"], env(top)),
             "show promise-1 --json": ([troth, "show", "promise-1", "--json"], env(top))})
show(f"3b. {max(years)} years, 50 promises: list, due, show (goal ≤ 0.3×, bar 0.5×)", r3b, entries, 0.3, 0.5,
     own={"list --json (cold, TROTH_NO_CACHE=1; goal ≤ 1×)": (1.0, 3.0)})

# 3c. The everyday case: list right after a kept, with one promise's cache
# entry stale and refolded from its whole history. Its cost is the pair's
# median less kept's own, against the same scan.
kept_list = f'"{troth}" kept promise-4 >/dev/null && "{troth}" list --json'
r3c = bench({entries: (["sqlite3", "-csv", top, "select * from entries"], BASE_ENV),
             "kept promise-4": ([troth, "kept", "promise-4"], env(top)),
             "kept promise-4, then list --json": (["sh", "-c", kept_list], env(top))})
after = r3c["kept promise-4, then list --json"][0] - r3c["kept promise-4"][0]
ratio = after / r3c[entries][0]
print(f"\n## 3c. list right after a kept: one promise of 50 refolded (goal ≤ 0.3×, bar 0.5×)")
print(f"  {entries:<44} median {r3c[entries][0] * 1000:7.1f} ms  ratio  1.00x")
print(f"  {'list after kept (pair less kept alone)':<44} median {after * 1000:7.1f} ms  ratio {ratio:5.2f}x"
      f"  {'goal met' if ratio <= 0.3 else ('within bar' if ratio <= 0.5 else 'OVER BAR')}")

# 4. growth of the report with history.
growth = bench({f"report --format json ({y} y)": ([troth, "report", "--format", "json"], env(big[y])) for y in years})
print("\n## 4. report growth with history (no worse than linear in entries)")
base_y = years[0]
for y in years:
    med = growth[f"report --format json ({y} y)"][0]
    ratio = med / growth[f"report --format json ({base_y} y)"][0]
    print(f"  {y:>2} years ({y * 50 * 200:>6} entries): median {med * 1000:7.1f} ms  ×{ratio:4.2f} for ×{y / base_y:.0f} entries"
          f"  {'linear or better' if ratio <= y / base_y * 1.1 else 'WORSE THAN LINEAR'}")

# 5. peak memory at the longest history, from /usr/bin/time (wait4 in Python
# would count the forking interpreter's own pages).
def peak_kib(cmd, e):
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       check=True)
    return int(p.stderr.decode().strip().splitlines()[-1])


print(f"\n## 5. peak memory at {max(years)} years (goal ≤ 15 MiB, bar 30 MiB)")
print(f"  {'sqlite3 -csv (select * from entries)':<44} {peak_kib(['sqlite3', '-csv', top, 'select * from entries'], BASE_ENV) / 1024:5.1f} MiB  (reference)")
mem_cases = {"kept (empty ledger)": ([troth, "kept", "walk"], env(empty)),
             f"kept ({max(years)}-year ledger)": ([troth, "kept", "promise-4"], env(top)),
             "report --format json": ([troth, "report", "--format", "json"], env(top)),
             "trend --weeks 52 --json": ([troth, "trend", "--weeks", "52", "--json"], env(top)),
             "overpromising --json": ([troth, "overpromising", "--json"], env(top)),
             "list --json": ([troth, "list", "--json"], env(top)),
             "due --json": ([troth, "due", "--json"], env(top)),
             "show promise-1 --json": ([troth, "show", "promise-1", "--json"], env(top))}
for name, (cmd, e) in mem_cases.items():
    mib = peak_kib(cmd, e) / 1024
    print(f"  {name:<44} {mib:5.1f} MiB  {'goal met' if mib <= 15 else ('within bar' if mib <= 30 else 'OVER BAR')}")

# 6. remind --watch idle.
idle = 10 if quick else 60
idle_db = f"{work}/idle.db"
sh([troth, "promise", "Someday", "--terms", "standing"], env(idle_db))
p = subprocess.Popen([troth, "remind", "--watch"], env=env(idle_db, TROTH_NOW=""), stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
time.sleep(idle)
p.send_signal(signal.SIGTERM)
_, status, ru = os.wait4(p.pid, 0)
cpu = (ru.ru_utime + ru.ru_stime) * 1000
print(f"\n## 6. remind --watch idle for {idle} s with nothing due (goal < 50 ms CPU; wake-ups as the 5-minute rule needs)")
print(f"  CPU {cpu:.1f} ms  {'goal met' if cpu < 50 else 'OVER GOAL'} · voluntary context switches {ru.ru_nvcsw}"
      f" · exit {os.waitstatus_to_exitcode(status)}")

# 7. Two devices (issue 12): the cost of a sync folder.
import json
synced, folder = f"{work}/synced.db", f"{work}/sync-folder"
subprocess.run(["sqlite3", top, f".backup {synced}"], check=True)
os.chmod(synced, 0o600)
setup = subprocess.run([troth, "sync", "setup", folder, "--json"], env=env(synced), check=True, capture_output=True)
code = json.loads(setup.stdout)["code"]
r7 = bench({f"list --json ({max(years)} y, no folder)": ([troth, "list", "--json"], env(top)),
            f"list --json ({max(years)} y, folder, nothing new)": ([troth, "list", "--json"], env(synced))})
show("7a. a command with a folder and nothing new in it (goal ≤ 1.1×)", r7, f"list --json ({max(years)} y, no folder)", 1.1, 1.1)
r7b = bench({"kept (no folder)": ([troth, "kept", "promise-4"], env(top)),
             "kept (folder)": ([troth, "kept", "promise-4"], env(synced))})
show("7b. kept with a folder against kept without (goal ≤ 1.5×)", r7b, "kept (no folder)", 1.5, 1.5)
export = f"{work}/export.json"
sh([troth, "export", "--format", "json", "-o", export], env(top))
fresh_i, fresh_j = f"{work}/fresh-import.db", f"{work}/fresh-join.db"
r7c = bench({
    f"import of {max(years)} years (JSON)": (["sh", "-c", f'rm -f "{fresh_i}"*; "{troth}" init >/dev/null && "{troth}" import "{export}"'], env(fresh_i)),
    f"join: apply {max(years)} years from the folder": (["sh", "-c", f'rm -f "{fresh_j}"*; "{troth}" init >/dev/null && "{troth}" sync join "{folder}"'], env(fresh_j, TROTH_SYNC_CODE=code)),
})
show("7c. applying another device's history from the folder against import (goal ≤ 2×)", r7c, f"import of {max(years)} years (JSON)", 2.0, 2.0)

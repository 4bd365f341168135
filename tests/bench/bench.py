#!/usr/bin/env python3
"""Side-by-side benchmark of minirunc, runc and crun on one busybox bundle.

Runs every runtime round-robin (so machine noise hits all of them alike) and
prints, per metric, the median and p90 of each runtime and its ratio to crun.
crun 1.8 refuses hybrid cgroups, so the whole benchmark re-executes itself in a
private mount namespace where /sys/fs/cgroup/unified is unmounted; the host is
untouched. Must run as root.

    tests/bench/bench.py [--reps N] [--scale] [--runtimes minirunc,runc,crun]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))


def enter_private_mount_namespace():
    if os.environ.get("MINIRUNC_BENCH_INNER") == "1":
        return
    env = dict(os.environ, MINIRUNC_BENCH_INNER="1")
    inner = ("mount --make-rprivate / && "
             "(! mountpoint -q /sys/fs/cgroup/unified || umount /sys/fs/cgroup/unified) && "
             'exec "$@"')
    cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c", inner, "sh",
           sys.executable] + sys.argv
    os.execvpe("unshare", cmd, env)


MEASURE = None  # path of the compiled measure.c


def timed(argv, cwd=None, stdin=subprocess.DEVNULL):
    """Runs argv under measure; returns (ok, wall s, cpu s of the tree it reaped, max RSS KiB)."""
    read_fd, write_fd = os.pipe()
    # stderr goes to a file: a container inherits it and may outlive the command.
    with tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen([MEASURE, str(write_fd)] + argv, cwd=cwd, stdin=stdin,
                                stdout=subprocess.DEVNULL, stderr=err_file, pass_fds=(write_fd,))
        os.close(write_fd)
        with os.fdopen(read_fd) as report:
            line = report.readline()
        proc.wait()
        if proc.returncode != 0 or not line:
            err_file.seek(0)
            err = err_file.read().decode(errors="replace")
            sys.stderr.write(f"command failed ({proc.returncode}): {' '.join(argv)}\n{err}\n")
            return False, 0, 0, 0
    wall_us, cpu_us, rss_kib, _ = (int(x) for x in line.split())
    return True, wall_us / 1e6, cpu_us / 1e6, rss_kib


class Runtime:
    def __init__(self, name, binary, workdir):
        self.name = name
        self.binary = binary
        self.root = os.path.join(workdir, "state-" + name)
        os.makedirs(self.root, exist_ok=True)
        self.counter = 0

    def cmd(self, *args):
        return [self.binary, "--root", self.root] + list(args)

    def new_id(self):
        self.counter += 1
        return f"b{self.name[:2]}{os.getpid()}x{self.counter}"


def make_bundle(workdir, name, args):
    bundle = os.path.join(workdir, "bundle-" + name)
    os.makedirs(bundle, exist_ok=True)
    rootfs = os.path.join(workdir, "rootfs")
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(bench_config(rootfs, args), f)
    return bundle


def bench_config(rootfs, args):
    with open(os.path.join(SOURCE, "bundles", "default", "config.json")) as f:
        cfg = json.load(f)
    cfg["root"] = {"path": rootfs, "readonly": True}
    cfg["ociVersion"] = "1.0.2"  # the newest all three accept (crun 1.8 refuses 1.3.0)
    cfg["process"]["args"] = args
    cfg["process"]["terminal"] = False
    return cfg


def own_cgroup_dirs():
    """The caller's cgroup directory in every mounted hierarchy (v1 and v2)."""
    mounts = []  # (root, mount point, fstype, super options)
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ", 1)
            fields, tail = left.split(), right.split()
            if tail[0] in ("cgroup", "cgroup2"):
                mounts.append((fields[3], fields[4], tail[0], set(tail[2].split(","))))
    dirs = []
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for root, point, fstype, options in mounts:
                v2 = controllers == "" and fstype == "cgroup2"
                v1 = controllers != "" and fstype == "cgroup" and \
                    set(controllers.split(",")) <= options
                if (v1 or v2) and (path + "/").startswith(root.rstrip("/") + "/"):
                    dirs.append(point + path[len(root.rstrip("/")):])
                    break
    return sorted(set(dirs))


def floor_round(tools, results):
    """What every runtime pays before its own work: C library start-up of a
    static binary, and a cgroup in every hierarchy."""
    for label, argv in (("exec of an empty static-glibc program", [tools["empty"]]),
                        ("exec of an empty no-libc program", [tools["empty_raw"]]),
                        ("cgroup in every hierarchy, mkdir+join+rmdir (+1 static start-up)",
                         [tools["cgroup_floor"]] + own_cgroup_dirs())):
        ok, wall, cpu, _ = timed(argv)
        if ok:
            results.add(f"floor: {label} cpu", "baseline", cpu * 1000, "ms")


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


class Results:
    def __init__(self):
        self.data = {}  # metric -> runtime -> [values]
        self.units = {}

    def add(self, metric, runtime, value, unit):
        self.data.setdefault(metric, {}).setdefault(runtime, []).append(value)
        self.units[metric] = unit

    def print(self, names):
        header = f"{'metric':<42}" + "".join(f"{n + ' med':>14}{n + ' p90':>14}" for n in names)
        header += "".join(f"{n + '/crun':>14}" for n in names if n != "crun")
        print(header)
        for metric, per_rt in self.data.items():
            unit = self.units[metric]
            row = f"{metric + ' (' + unit + ')':<42}"
            meds = {}
            for n in names:
                vals = per_rt.get(n, [])
                meds[n] = statistics.median(vals) if vals else float("nan")
                row += f"{meds[n]:>14.3f}{pct(vals, 90):>14.3f}"
            for n in names:
                if n == "crun":
                    continue
                base = meds.get("crun")
                ratio = meds[n] / base if base and base == base and base > 0 else float("nan")
                row += f"{ratio:>14.2f}"
            print(row)


def container_footprint(rt, cid):
    """RSS and PSS (KiB) of every process a created container leaves running."""
    out = subprocess.run(rt.cmd("state", cid), capture_output=True, text=True).stdout
    pid = json.loads(out)["pid"]
    pids = {pid}
    # crun/runc may keep helper processes: count everything whose cgroup is the container's.
    with open(f"/proc/{pid}/cgroup") as f:
        mine = f.read()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cgroup") as f:
                    if f.read() == mine:
                        pids.add(int(entry))
            except OSError:
                pass
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def lifecycle_round(rt, bundle, results):
    cid = rt.new_id()
    ok, wall_c, cpu_c, rss_c = timed(rt.cmd("create", "--bundle", bundle, cid))
    if not ok:
        return
    rss, pss = container_footprint(rt, cid)
    results.add("created container RSS", rt.name, rss / 1024, "MiB")
    results.add("created container PSS", rt.name, pss / 1024, "MiB")
    _, wall_s, cpu_s, rss_s = timed(rt.cmd("start", cid))
    _, wall_st, cpu_st, rss_st = timed(rt.cmd("state", cid))
    _, wall_k, cpu_k, rss_k = timed(rt.cmd("kill", cid, "KILL"))
    for _ in range(500):  # wait until stopped
        out = subprocess.run(rt.cmd("state", cid), capture_output=True, text=True).stdout
        if '"stopped"' in out:
            break
        time.sleep(0.002)
    _, wall_d, cpu_d, rss_d = timed(rt.cmd("delete", cid))
    for name, wall, cpu in (("create", wall_c, cpu_c), ("start", wall_s, cpu_s),
                            ("state", wall_st, cpu_st), ("kill", wall_k, cpu_k),
                            ("delete", wall_d, cpu_d)):
        results.add(f"{name} wall", rt.name, wall * 1000, "ms")
        results.add(f"{name} cpu", rt.name, cpu * 1000, "ms")
    results.add("create+start+kill+delete wall", rt.name,
                (wall_c + wall_s + wall_k + wall_d) * 1000, "ms")
    results.add("runtime peak RSS (create)", rt.name, rss_c / 1024, "MiB")
    results.add("runtime peak RSS (state)", rt.name, rss_st / 1024, "MiB")


def run_round(rt, bundle, results, label="run /bin/true"):
    ok, wall, cpu, rss = timed(rt.cmd("run", "--bundle", bundle, rt.new_id()))
    if ok:
        results.add(f"{label} wall", rt.name, wall * 1000, "ms")
        results.add(f"{label} cpu", rt.name, cpu * 1000, "ms")


def exec_round(rt, sleeper, results):
    ok, wall, cpu, _ = timed(rt.cmd("exec", sleeper, "/bin/true"))
    if ok:
        results.add("exec /bin/true wall", rt.name, wall * 1000, "ms")
        results.add("exec /bin/true cpu", rt.name, cpu * 1000, "ms")


def parallel_round(rt, bundle, results, count, jobs):
    before = os.times()
    start = time.perf_counter()
    running = []
    for _ in range(count):
        if len(running) >= jobs:
            running.pop(0).wait()
        running.append(subprocess.Popen(rt.cmd("run", "--bundle", bundle, rt.new_id()),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for p in running:
        p.wait()
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system -
                                                           before.children_system)
    results.add(f"{count} runs, {jobs} parallel wall", rt.name, wall * 1000, "ms")
    results.add(f"{count} runs, {jobs} parallel cpu", rt.name, cpu * 1000, "ms")


def start_sleeper(rt, bundle):
    cid = rt.new_id()
    subprocess.run(rt.cmd("run", "-d", "--bundle", bundle, cid), check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return cid


def cleanup(rt):
    out = subprocess.run(rt.cmd("list", "-q"), capture_output=True, text=True).stdout.split()
    for cid in out:
        subprocess.run(rt.cmd("delete", "--force", cid), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--runtimes", default="minirunc,runc,crun")
    parser.add_argument("--minirunc", default=os.path.join(SOURCE, "build", "bin", "minirunc"))
    parser.add_argument("--scale", action="store_true",
                        help="also measure run/list/state with 100 and 300 containers alive")
    parser.add_argument("--parallel", type=int, default=100,
                        help="containers in the parallel rounds (0 to skip)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py must run as root")
    enter_private_mount_namespace()

    workdir = tempfile.mkdtemp(prefix="minirunc-bench.")
    runtimes = []
    try:
        subprocess.run([os.path.join(SOURCE, "bundles", "make-rootfs.sh"),
                        os.path.join(workdir, "rootfs")], check=True, stdout=subprocess.DEVNULL)
        global MEASURE
        MEASURE = os.path.join(workdir, "measure")
        subprocess.run(["gcc", "-O2", "-static", "-o", MEASURE, os.path.join(HERE, "measure.c")],
                       check=True)
        baseline = os.path.join(workdir, "baseline")
        subprocess.run(["gcc", "-O2", "-static", "-o", baseline,
                        os.path.join(HERE, "baseline.c")], check=True)
        tools = {"empty": os.path.join(workdir, "empty"),
                 "empty_raw": os.path.join(workdir, "empty-raw"),
                 "cgroup_floor": os.path.join(workdir, "cgroup_floor")}
        for flags, source, binary in (([], "empty.c", "empty"),
                                      (["-nostdlib", "-DNO_LIBC"], "empty.c", "empty_raw"),
                                      ([], "cgroup_floor.c", "cgroup_floor")):
            subprocess.run(["gcc", "-O2", "-static"] + flags +
                           ["-o", tools[binary], os.path.join(HERE, source)], check=True)
        binaries = {"minirunc": args.minirunc, "runc": shutil.which("runc"),
                    "crun": shutil.which("crun")}
        names = [n for n in args.runtimes.split(",") if binaries.get(n)]
        runtimes = [Runtime(n, binaries[n], workdir) for n in names]
        true_bundle = make_bundle(workdir, "true", ["/bin/true"])
        sleep_bundle = make_bundle(workdir, "sleep", ["/bin/sleep", "100000"])
        results = Results()

        sleepers = {rt.name: start_sleeper(rt, sleep_bundle) for rt in runtimes}
        for _ in range(args.reps):
            ok, wall, cpu, _ = timed([baseline, os.path.join(workdir, "rootfs"), "/bin/true"])
            if ok:
                results.add("run /bin/true wall", "baseline", wall * 1000, "ms")
                results.add("run /bin/true cpu", "baseline", cpu * 1000, "ms")
            floor_round(tools, results)
            for rt in runtimes:  # round-robin: noise hits every runtime alike
                run_round(rt, true_bundle, results)
                lifecycle_round(rt, sleep_bundle, results)
                exec_round(rt, sleepers[rt.name], results)
        for jobs in (1, 8):
            if args.parallel:
                for rt in runtimes:
                    parallel_round(rt, true_bundle, results, args.parallel, jobs)
        if args.scale:
            alive = {rt.name: [] for rt in runtimes}
            for target in (100, 300):
                for rt in runtimes:
                    while len(alive[rt.name]) < target:
                        alive[rt.name].append(start_sleeper(rt, sleep_bundle))
                for _ in range(max(3, args.reps // 4)):
                    for rt in runtimes:
                        run_round(rt, true_bundle, results, f"run with {target} alive")
                        _, wall, cpu, _ = timed(rt.cmd("list"))
                        results.add(f"list with {target} alive wall", rt.name, wall * 1000, "ms")
                        _, wall, cpu, _ = timed(rt.cmd("state", sleepers[rt.name]))
                        results.add(f"state with {target} alive wall", rt.name, wall * 1000, "ms")
        results.print(names + ["baseline"])
    finally:
        for rt in runtimes:
            cleanup(rt)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

// Mount propagation between the host and the container: the `propagation`
// options of a mount and linux.rootfsPropagation. The tests make a shared mount
// on the host (inside their private directory) and mount something below it
// after the container started; the container reports whether it saw it.
#include <sys/mount.h>
#include <sys/stat.h>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

// A mount on the host, detached when the test ends (before the leak checks).
class HostMount {
  public:
    HostMount() = default;
    HostMount(const HostMount&) = delete;
    HostMount& operator=(const HostMount&) = delete;
    ~HostMount() {
        if (!path_.empty()) umount2(path_.c_str(), MNT_DETACH);
    }

    // `path` bound onto itself and made shared.
    bool makeShared(const std::string& path) {
        if (mount(path.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0) return false;
        path_ = path;
        return mount(nullptr, path.c_str(), nullptr, MS_SHARED, nullptr) == 0;
    }
    bool tmpfs(const std::string& path) {
        if (mount("tmpfs", path.c_str(), "tmpfs", 0, "size=1m") != 0) return false;
        path_ = path;
        return true;
    }

  private:
    std::string path_;
};

class Propagation : public RuntimeTest {
  protected:
    // Starts cfg with a workload that waits for `markerInside`, then prints
    // "seen" or "unseen" for a mount at `mountInside` (and its mountinfo). After
    // start, mounts a tmpfs on `mountOnHost` and creates `markerOnHost`.
    std::string observeHostMount(json cfg, const std::string& mountOnHost,
                                 const std::string& markerOnHost, const std::string& mountInside,
                                 const std::string& markerInside) {
        cfg["process"]["args"] = {
            "sh", "-c",
            "i=0; while [ ! -e " + markerInside + " ] && [ $i -lt 500 ]; do probe sleep 0.02; " +
                "i=$((i+1)); done; if grep -q ' " + mountInside +
                " ' /proc/self/mountinfo; then echo seen; else echo unseen; fi; probe mounts"};
        auto id = newId();
        std::string out = tmp_ + "/" + id + ".out";
        if (!createAndStart(id, makeBundle(id, cfg), out)) return "";
        HostMount sub;
        EXPECT_TRUE(sub.tmpfs(mountOnHost)) << "mount tmpfs on " << mountOnHost;
        writeFile(markerOnHost, "");
        EXPECT_TRUE(waitForStatus(id, "stopped", 60s));
        return readFile(out);
    }

    // A private copy of the rootfs that is a shared mount on the host.
    std::string sharedRootfs(HostMount& holder, const std::string& name = "rootfs") {
        std::string rootfs = copyRootfs(name);
        EXPECT_TRUE(holder.makeShared(rootfs)) << "cannot make " << rootfs << " a shared mount";
        return rootfs;
    }
};

TEST_F(Propagation, SlaveBindReceivesMountsMadeOnTheHost) {
    std::string dir = tmp_ + "/prop";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    HostMount shared;
    ASSERT_TRUE(shared.makeShared(dir));
    ASSERT_EQ(mkdir((dir + "/sub").c_str(), 0755), 0);
    json cfg = config();
    cfg["mounts"].push_back({{"destination", "/mnt"},
                             {"type", "bind"},
                             {"source", dir},
                             {"options", {"rbind", "rslave"}}});
    std::string out =
        observeHostMount(cfg, dir + "/sub", dir + "/marker", "/mnt/sub", "/mnt/marker");
    EXPECT_EQ(splitLines(out).at(0), "seen") << out;
    EXPECT_TRUE(contains(mountAt(out, "/mnt").optional, "master:")) << out;
}

TEST_F(Propagation, PrivateBindDoesNotReceiveMountsMadeOnTheHost) {
    std::string dir = tmp_ + "/prop";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    HostMount shared;
    ASSERT_TRUE(shared.makeShared(dir));
    ASSERT_EQ(mkdir((dir + "/sub").c_str(), 0755), 0);
    json cfg = config();
    cfg["mounts"].push_back({{"destination", "/mnt"},
                             {"type", "bind"},
                             {"source", dir},
                             {"options", {"rbind", "rprivate"}}});
    std::string out =
        observeHostMount(cfg, dir + "/sub", dir + "/marker", "/mnt/sub", "/mnt/marker");
    EXPECT_EQ(splitLines(out).at(0), "unseen") << out;
    EXPECT_EQ(mountAt(out, "/mnt").optional, "") << out;
}

TEST_F(Propagation, SharedBindIsSharedInsideTheContainer) {
    std::string dir = tmp_ + "/prop";
    ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
    json cfg = config({"probe", "mounts"});
    cfg["mounts"].push_back({{"destination", "/mnt"},
                             {"type", "bind"},
                             {"source", dir},
                             {"options", {"rbind", "shared"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_TRUE(contains(mountAt(r.out, "/mnt").optional, "shared:")) << r.out;
}

TEST_F(Propagation, DefaultRootfsPropagationReceivesHostMounts) {
    HostMount holder;
    std::string rootfs = sharedRootfs(holder);
    json cfg = config();
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    std::string out =
        observeHostMount(cfg, rootfs + "/mnt", rootfs + "/tmp/marker", "/mnt", "/tmp/marker");
    EXPECT_EQ(splitLines(out).at(0), "seen") << out;
}

TEST_F(Propagation, RslaveRootfsPropagationReceivesHostMounts) {
    HostMount holder;
    std::string rootfs = sharedRootfs(holder);
    json cfg = config();
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    cfg["linux"]["rootfsPropagation"] = "rslave";
    std::string out =
        observeHostMount(cfg, rootfs + "/mnt", rootfs + "/tmp/marker", "/mnt", "/tmp/marker");
    EXPECT_EQ(splitLines(out).at(0), "seen") << out;
    EXPECT_TRUE(contains(mountAt(out, "/").optional, "master:")) << out;
}

TEST_F(Propagation, SlaveRootfsPropagationReceivesHostMounts) {
    HostMount holder;
    std::string rootfs = sharedRootfs(holder);
    json cfg = config();
    cfg["root"] = {{"path", rootfs}, {"readonly", true}};
    cfg["linux"]["rootfsPropagation"] = "slave";
    std::string out =
        observeHostMount(cfg, rootfs + "/mnt", rootfs + "/tmp/marker", "/mnt", "/tmp/marker");
    EXPECT_EQ(splitLines(out).at(0), "seen") << out;
    EXPECT_TRUE(contains(mountAt(out, "/").optional, "master:")) << out;
}

TEST_F(Propagation, UnbindableRootfsPropagationMakesTheRootUnbindable) {
    if (runtimeName() == "runc")
        GTEST_SKIP() << "runc 1.1 makes / unbindable before binding the rootfs (EINVAL)";
    for (const char* mode : {"unbindable", "runbindable"}) {
        SCOPED_TRACE(mode);
        for (bool noPivot : {false, true}) {
            SCOPED_TRACE(noPivot ? "--no-pivot" : "pivot_root");
            json cfg = config({"probe", "mounts"});
            cfg["linux"]["rootfsPropagation"] = mode;
            auto id = newId();
            std::vector<std::string> args = {"run", "--bundle", makeBundle(id, cfg), id};
            if (noPivot) args.insert(args.begin() + 1, "--no-pivot");
            Result r = rt(args);
            ASSERT_TRUE(r.ok()) << r;
            EXPECT_EQ(mountAt(r.out, "/").optional, "unbindable") << r.out;
        }
    }
}

TEST_F(Propagation, PrivateRootfsPropagationIsolatesTheContainer) {
    for (const char* mode : {"private", "rprivate"}) {
        SCOPED_TRACE(mode);
        HostMount holder;
        std::string rootfs = sharedRootfs(holder, std::string("rootfs-") + mode);
        json cfg = config();
        cfg["root"] = {{"path", rootfs}, {"readonly", true}};
        cfg["linux"]["rootfsPropagation"] = mode;
        std::string out =
            observeHostMount(cfg, rootfs + "/mnt", rootfs + "/tmp/marker", "/mnt", "/tmp/marker");
        EXPECT_EQ(splitLines(out).at(0), "unseen") << out;
        EXPECT_EQ(mountAt(out, "/").optional, "") << out;
    }
}

TEST_F(Propagation, SharedRootfsPropagationMakesTheRootShared) {
    for (const char* mode : {"shared", "rshared"}) {
        SCOPED_TRACE(mode);
        for (bool noPivot : {false, true}) {
            SCOPED_TRACE(noPivot ? "--no-pivot" : "pivot_root");
            HostMount holder;
            std::string rootfs =
                sharedRootfs(holder, std::string("rootfs-") + mode + (noPivot ? "-chroot" : ""));
            json cfg = config({"probe", "mounts"});
            cfg["root"] = {{"path", rootfs}, {"readonly", true}};
            cfg["linux"]["rootfsPropagation"] = mode;
            auto id = newId();
            std::vector<std::string> args = {"run", "--bundle", makeBundle(id, cfg), id};
            if (noPivot) args.insert(args.begin() + 1, "--no-pivot");
            Result r = rt(args);
            ASSERT_TRUE(r.ok()) << r;
            EXPECT_TRUE(contains(mountAt(r.out, "/").optional, "shared:")) << r.out;
        }
    }
}

}  // namespace
}  // namespace minirunc::test

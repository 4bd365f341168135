// overlay mounts with long option strings (podman's image mounts, layered
// build roots): a lowerdir list past the 255 bytes one fsconfig(2) string
// takes, and upper/work paths past it.
#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"
#include "mountinfo.hpp"

namespace minirunc::test {
namespace {

class Overlay : public RuntimeTest {
  protected:
    void SetUp() override {
        RuntimeTest::SetUp();
        if (IsSkipped()) return;
        if (!contains(readFile("/proc/filesystems"), "\toverlay\n"))
            GTEST_SKIP() << "no overlay filesystem in this kernel";
    }

    // Creates `count` layer directories with long names; layer i holds
    // "layer<i>" (its number) and "top" (its number: the first layer shows).
    std::string makeLayers(int count) {
        std::string lowerdir;
        for (int i = 0; i < count; ++i) {
            std::string dir =
                tmp_ + "/layer-" + std::string(120, 'a' + i % 26) + "-" + std::to_string(i);
            EXPECT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
            writeFile(dir + "/layer" + std::to_string(i), std::to_string(i) + "\n");
            writeFile(dir + "/top", std::to_string(i) + "\n");
            lowerdir += (i ? ":" : "") + dir;
        }
        return lowerdir;
    }

    // Runs a container with an overlay of `count` layers at /merged and checks
    // every layer's file is there.
    void expectLayersVisible(int count) {
        std::string lowerdir = makeLayers(count);
        ASSERT_GT(lowerdir.size(), 255u) << "the test must pass fsconfig's limit";
        if (runtimeName() != "minirunc" && lowerdir.size() >= 4095)
            GTEST_SKIP() << "runc passes the options to mount(2), which takes one page; these are "
                         << lowerdir.size() << " bytes";
        std::string script = "cat /merged/top";
        for (int i = 0; i < count; ++i) script += " /merged/layer" + std::to_string(i);
        json cfg = config({"sh", "-c", script + " && probe mounts"});
        cfg["mounts"].push_back({{"destination", "/merged"},
                                 {"type", "overlay"},
                                 {"source", "overlay"},
                                 {"options", {"lowerdir=" + lowerdir}}});
        Result r = runProbe(cfg);
        ASSERT_TRUE(r.ok()) << r;
        auto lines = splitLines(r.out);
        ASSERT_GT(lines.size(), static_cast<size_t>(count)) << r;
        EXPECT_EQ(lines[0], "0") << "the first layer is the top one";
        for (int i = 0; i < count; ++i) EXPECT_EQ(lines[1 + i], std::to_string(i));
        EXPECT_EQ(mountAt(r.out, "/merged").fsType, "overlay") << r.out;
    }
};

TEST_F(Overlay, TwoLayersWithLongNames) {
    expectLayersVisible(2);
}

TEST_F(Overlay, TwentyLayersPastTheFsconfigStringLimit) {
    expectLayersVisible(20);
}

TEST_F(Overlay, SixtyLayersPastAPageOfOptions) {
    expectLayersVisible(60);
}

TEST_F(Overlay, LongUpperAndWorkDirectoriesUseMountData) {
    // A single path over 255 bytes: fsconfig(2) cannot take it on any kernel.
    std::string base = tmp_;
    for (int i = 0; i < 4; ++i) {
        base += "/" + std::string(70, 'u') + std::to_string(i);
        ASSERT_EQ(mkdir(base.c_str(), 0755), 0);
    }
    std::string upper = base + "/upper", work = base + "/work", lower = tmp_ + "/lower";
    for (const auto& d : {upper, work, lower}) ASSERT_EQ(mkdir(d.c_str(), 0755), 0);
    writeFile(lower + "/below", "below\n");
    json cfg = config({"sh", "-c", "cat /rw/below && echo new > /rw/new && probe mounts"});
    cfg["mounts"].push_back(
        {{"destination", "/rw"},
         {"type", "overlay"},
         {"source", "overlay"},
         {"options", {"lowerdir=" + lower, "upperdir=" + upper, "workdir=" + work, "nodev"}}});
    Result r = runProbe(cfg);
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(splitLines(r.out).at(0), "below");
    MountInfo m = mountAt(r.out, "/rw");
    EXPECT_EQ(m.fsType, "overlay") << r.out;
    EXPECT_TRUE(hasWord(m.options, "nodev")) << m.options;
    EXPECT_EQ(readFile(upper + "/new"), "new\n") << "the write went to the upper directory";
}

}  // namespace
}  // namespace minirunc::test

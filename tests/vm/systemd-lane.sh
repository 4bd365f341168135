#!/bin/sh
# The systemd VM lane's command (vm.systemd), run inside one systemd guest:
# the cgroup v2 tests once, then the systemd cgroup driver's tests REPEAT
# times, so that a race with systemd's job queue or a unit name reused before
# the last one is gone shows in CI rather than once in a while.
#
#   systemd-lane.sh INTEGRATION_TESTS [REPEAT]
set -eu
tests=$1
repeat=${2:-2}
"$tests" --gtest_filter='CgroupV2Resources.*:Cgroup2.*'
exec "$tests" --gtest_filter='SystemdCgroup.*' --gtest_repeat="$repeat" --gtest_brief=1
